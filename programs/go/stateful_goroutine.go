// stateful_goroutine.go — Go by Example's "stateful goroutines", small: one
// goroutine owns a map, and the others read and write it by sending it
// requests that carry their own reply channel. The owner is a func literal
// started once from main, so the map it makes is one map for the run (a
// literal started in a loop, or from a function called twice, would make
// one per start and is refused).
//
// The writer sets key 1 then key 2; the reader asks for key 2 then key 1.
// The owner answers each request in the order it takes them, so a reader
// that sees key 2 written sees key 1 written too: "20 0" is impossible.
//
// Expected outcomes:
//   ok  state=map[1:10 2:20] second=0 first=0 output "read: 0 0\n"     serial
//   ok  state=map[1:10 2:20] second=0 first=10 output "read: 0 10\n"   serial
//   ok  state=map[1:10 2:20] second=20 first=10 output "read: 20 10\n" serial
// Data races, deadlocks, panics, leaks (the owner is a daemon), never-ending
// runs: none.
package main

import (
	"fmt"
	"sync"
)

type readOp struct {
	key  int
	resp chan int
}

type writeOp struct {
	key  int
	val  int
	resp chan bool
}

func main() {
	reads := make(chan readOp)
	writes := make(chan writeOp)

	// grace:daemon (owns the state until the program ends)
	go func() {
		var state = make(map[int]int)
		for {
			select {
			case read := <-reads:
				read.resp <- state[read.key]
			case write := <-writes:
				state[write.key] = write.val
				write.resp <- true
			}
		}
	}()

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for k := 1; k <= 2; k++ {
			write := writeOp{key: k, val: 10 * k, resp: make(chan bool)}
			writes <- write
			<-write.resp
		}
	}()
	var second, first int
	go func() {
		defer wg.Done()
		read := readOp{key: 2, resp: make(chan int)}
		reads <- read
		second = <-read.resp
		read = readOp{key: 1, resp: make(chan int)}
		reads <- read
		first = <-read.resp
	}()
	wg.Wait()
	fmt.Println("read:", second, first)
}
