// struct_value_receiver.go — methods with value receivers (Sum, Moved)
// beside one with a pointer receiver (Move). A value receiver is a copy
// made at the call: the call reads every field of pt then, so it races
// with the goroutine's Move, at the call's place; Moved changes only its
// copy. Serially main prints before the goroutine moves pt.
//
// Expected outcomes:
//   ok  pt.x=11 pt.y=2 output "3 6\n13 11\n"  serial
//   ok  pt.x=11 pt.y=2 output "13 26\n13 11\n"  preemptive
//   ok  pt.x=11 pt.y=2 output "3 26\n13 11\n"  preemptive
// Data races: pt.x, write 34:2 / read 46:14 and write 34:2 / read 46:24.
// Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Point struct {
	x, y int
}

func (p Point) Sum() int {
	return p.x + p.y
}

func (p Point) Moved(d int) int {
	p.x += d
	return p.Sum() + p.x
}

func (p *Point) Move(d int) {
	p.x += d
}

var pt = Point{1, 2}

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pt.Move(10)
	}()
	fmt.Println(pt.Sum(), pt.Moved(1))
	wg.Wait()
	q := &pt
	fmt.Println(q.Sum(), pt.x)
}
