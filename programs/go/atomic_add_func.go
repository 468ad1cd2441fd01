// atomic_add_func.go — the function forms of sync/atomic: three goroutines
// each call atomic.AddInt64(&count, 1) on a plain int64 global; main waits
// for them and reads the count with atomic.LoadInt64. An uint32 counter is
// decremented from 0 by each worker with AddUint32 and CAS, so it wraps.
//
// Expected outcomes (derived by hand): every Add is one indivisible step, so
// no increment is lost whatever the interleaving: count is 3 in every run;
// each worker swaps `seen` from its old value to old-1 with a CAS loop
// (uint32: 0 - 1 wraps to 4294967295), three times in all, so seen ends at
// 4294967293. Main prints both after wg.Wait:
//   ok  count=3  seen=4294967293  output "3 4294967293\n"
// Data races: none (count and seen are only accessed atomically; wg orders
// the rest). Deadlocks: none. Leaks: none.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var count int64
var seen uint32
var wg sync.WaitGroup

func worker() {
	atomic.AddInt64(&count, 1)
	for {
		old := atomic.LoadUint32(&seen)
		if atomic.CompareAndSwapUint32(&seen, old, old-1) {
			break
		}
	}
	wg.Done()
}

func main() {
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go worker()
	}
	wg.Wait()
	fmt.Println(atomic.LoadInt64(&count), atomic.LoadUint32(&seen))
}
