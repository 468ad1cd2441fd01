// request_reply.go — a server that owns its counter and answers requests
// that carry their own reply channel (a `chan chan int`), as GOPL §8 and
// the Go blog's examples do. Each client makes a new reply channel for
// each of its two requests: a `make` in a loop, run many times, so grace
// gives it a pool of channels and reuses those nobody can reach any more.
//
// Expected outcomes: the server hands out 1, 2, 3, 4 in the order the four
// requests arrive; client 1 adds its two answers, client 10 adds ten times
// its two, so the sum is (a+b) + 10(c+d) for a split of {1,2,3,4} into
// client 1's {a,b} and client 10's {c,d}:
//   ok  output "73\n"  serial   (client 1 got 1 and 2)
//   ok  output "64\n"  serial   ({1,3})
//   ok  output "55\n"  serial   ({1,4} or {2,3})
//   ok  output "46\n"  serial   ({2,4})
//   ok  output "37\n"  serial   ({3,4})
// Every split is reachable without preemption: a client blocks at its
// request or its reply, which hands the turn over.
// Leaks: the server, still waiting for a request when main returns (Go
// does not report it; grace does, as in bank1). Data races, deadlocks,
// panics, never-ending runs: none.
package main

import "fmt"

func server(reqs <-chan chan int) {
	n := 0
	for reply := range reqs {
		n++
		reply <- n
	}
}

func client(id int, reqs chan<- chan int, done chan<- int) {
	for k := 0; k < 2; k++ {
		reply := make(chan int)
		reqs <- reply
		done <- id * <-reply
	}
}

func main() {
	reqs := make(chan chan int)
	done := make(chan int)
	go server(reqs)
	go client(1, reqs, done)
	go client(10, reqs, done)
	sum := 0
	for i := 0; i < 4; i++ {
		sum += <-done
	}
	fmt.Println(sum)
}
