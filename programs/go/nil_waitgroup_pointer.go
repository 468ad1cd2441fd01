// nil_waitgroup_pointer.go — a method called through a nil pointer to a
// sync object panics, as Go's runtime does.
//
// Expected outcomes:
//   panic "runtime error: invalid memory address or nil pointer dereference"  serial
// Data races, deadlocks, leaks, never-ending runs: none.
package main

import "sync"

func done(wg *sync.WaitGroup) {
	wg.Done()
}

func main() {
	var p *sync.WaitGroup
	done(p)
}
