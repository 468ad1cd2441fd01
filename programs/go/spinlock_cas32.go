// spinlock_cas32.go — a spin lock on an int32 with the function forms of
// sync/atomic (CompareAndSwapInt32 to take it, StoreInt32 to release it)
// guarding a plain counter, and the atomic types atomic.Uint32 and
// atomic.Int32 as counters.
//
// Expected outcomes (derived by hand): the CAS lets one worker at a time
// into the critical section, and the release store happens before the
// next successful CAS (Go's memory model: atomics are sequentially
// consistent and synchronise), so counter++ never races and ends at 2.
// entries counts the entries (2); level goes 0 → -1 → -2 with Add(-1):
//   ok  locked=0  counter=2  entries=2  level=-2  output "2 2 -2\n"
// Data races: none. Deadlocks: none. Leaks: none. A worker may spin while
// the other holds the lock; it always gets the lock once the holder runs.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var locked int32
var counter int
var entries atomic.Uint32
var level atomic.Int32
var wg sync.WaitGroup

func lock() {
	for !atomic.CompareAndSwapInt32(&locked, 0, 1) {
	}
}

func unlock() {
	atomic.StoreInt32(&locked, 0)
}

func worker() {
	lock()
	counter++
	entries.Add(1)
	level.Add(-1)
	unlock()
	wg.Done()
}

func main() {
	wg.Add(2)
	go worker()
	go worker()
	wg.Wait()
	fmt.Println(counter, entries.Load(), level.Load())
}
