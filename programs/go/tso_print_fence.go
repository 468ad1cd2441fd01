// tso_print_fence.go — a print is a fence under tso, as on x86. The
// goroutine writes x.b = 2 without the lock, then prints it; main prints
// j0.b under the lock, then increments it without. On x86 a print takes a
// lock with a LOCK-prefixed instruction (fmt's poll.FD.writeLock) and
// makes a write system call, so x.b = 2 has left the goroutine's store
// buffer before "x 2" appears: main cannot then print 0. grace's tso once
// let the write stay buffered past the print and listed
//   ok  j0.b=2  output "0\nx 2\n0\n1 2\n"
// (main reads 0, its j0.b++ writes 1, the goroutine's 2 lands after),
// which the go model, whose write order is the execution order, does not
// list: outcomes(tso) ⊄ outcomes(go). (Reduced from a program a
// generator found comparing grace with go run; the original is kept in
// tests/integration/snapshots.rs.)
// grace: --memory tso
//
// Expected outcomes (tso, the same as under sc), globals j0.a, j0.b:
//   ok  j0.b=1  output "0\n0\nx 1\n1 1\n"  preemptive
//   ok  j0.b=1  output "0\n0\nx 2\n1 1\n"  preemptive
//   ok  j0.b=2  output "0\n0\nx 2\n1 2\n"  preemptive
//   ok  j0.b=2  output "0\n1\nx 2\n1 2\n"  serial
//   ok  j0.b=3  output "0\n0\nx 2\n1 3\n"  preemptive
//   ok  j0.b=3  output "0\n0\nx 3\n1 3\n"  preemptive
//   ok  j0.b=3  output "0\n2\nx 2\n1 3\n"  preemptive (go1.27: 1 run of 20)
//   ok  j0.b=3  output "0\n2\nx 3\n1 3\n"  preemptive
//   ok  j0.b=3  output "0\nx 2\n0\n1 3\n"  preemptive
//   ok  j0.b=3  output "0\nx 2\n2\n1 3\n"  serial (go1.27: 19 runs of 20)
// and j0.a=1 in each. The go model adds one more, stale:
//   ok  j0.b=1  output "0\nx 2\n0\n1 1\n"
// Data races: j0.b — read (line 53) vs write (line 64), write (line 55)
//   vs read (line 62), write (line 55) vs read and write (line 64), read
//   (line 56) vs write (line 64).
// Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Job struct {
	a int
	b int
}

var mu sync.Mutex

func main() {
	c0 := make(chan *Job)
	done := make(chan bool, 1)
	go func() {
		x := <-c0
		mu.Lock()
		fmt.Println(x.b)
		mu.Unlock()
		x.b = x.a * 2
		fmt.Println("x", x.b)
		done <- true
	}()
	j0 := &Job{a: 1}
	c0 <- j0
	mu.Lock()
	fmt.Println(j0.b)
	mu.Unlock()
	j0.b++
	<-done
	fmt.Println(j0.a, j0.b)
}
