// atomic_counters_mixed.go — Go by Example's "atomic counters" beside the
// counter it replaces: two goroutines each add 1 to an atomic.Int64 and do
// `plain++` on an int, both declared in main. The atomic adds are
// indivisible and synchronise nothing else; the plain increments are a data
// race, reported under the variable's name, and can lose an update.
//
// Expected outcomes:
//   ok  ops=2  plain=2  output "2 2\n"  serial
//   ok  ops=2  plain=1  output "2 1\n"  preemptive
// Data races: plain, read/write and write/write at 30:4 (none on ops).
// Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var ops atomic.Int64
	plain := 0
	var wg sync.WaitGroup

	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ops.Add(1)
			plain++
		}()
	}

	wg.Wait()
	fmt.Println(ops.Load(), plain)
}
