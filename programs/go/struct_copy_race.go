// struct_copy_race.go — copying a struct reads every field: a copy made
// while another goroutine writes a field races with that write (Go's
// race detector reports it), and the copy holds the old or the new value.
//
// Expected outcomes:
//   ok  p.x=5 p.y=2  output "{1 2} 5\n"  serial      (the copy before the write)
//   ok  p.x=5 p.y=2  output "{5 2} 5\n"  preemptive  (the write first: main is preempted)
// Data race: on p.x, the goroutine's write (28:3) and the copy's read (30:7).
// Deadlocks, panics, leaks: none.
package main

import (
	"fmt"
	"sync"
)

type Point struct {
	x, y int
}

var p = Point{1, 2}

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.x = 5
	}()
	q := p
	wg.Wait()
	fmt.Println(q, p.x)
}
