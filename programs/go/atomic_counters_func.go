// atomic_counters_func.go — Go by Example's "atomic counters" in its older
// form: `var ops int64` in main, incremented with atomic.AddInt64(&ops, 1)
// and read with atomic.LoadInt64(&ops). A variable whose address goes to
// the sync/atomic functions is an atomic location; declared in main (which
// runs once) it is one for the run, named by its variable, as a top-level
// one is. `base`, set from a computed value, shows that an initial value
// that is not a constant is stored by an atomic step of its own.
//
// Expected outcomes: the three goroutines' Adds are indivisible steps, so
// ops ends at 3 and base at 10 + 3 in every run:
//   ok  ops=3  base=13  output "ops: 3 13\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func ten() int64 { return 10 }

func main() {
	var ops int64
	base := ten()
	var wg sync.WaitGroup

	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&ops, 1)
			atomic.AddInt64(&base, 1)
		}()
	}

	wg.Wait()
	fmt.Println("ops:", atomic.LoadInt64(&ops), atomic.LoadInt64(&base))
}
