// atomic_counters.go — Go by Example's "atomic counters", with small
// counts: main declares an atomic.Uint64 and a WaitGroup, starts three
// goroutines that each add 1 to the counter twice, waits, and prints it.
// Declared in main, which runs once, `ops` is one atomic for the run, as
// a top-level one would be, and is named by its variable.
//
// Expected outcomes: every Add is one indivisible step, so no increment is
// lost whatever the interleaving:
//   ok  ops=6  output "ops: 6\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var ops atomic.Uint64
	var wg sync.WaitGroup

	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			for c := 0; c < 2; c++ {
				ops.Add(1)
			}
			wg.Done()
		}()
	}

	wg.Wait()
	fmt.Println("ops:", ops.Load())
}
