// memo_gopl_dup_racy.go — memo_gopl_dup.go with its wait left out: a
// repeat request finds the entry and returns its value at once, without
// waiting on `ready`. The entry's value is then read while the goroutine
// that made the entry may still be writing it: a data race on the entry's
// field, and a request that gets 0.
//
// (The correct program, from here on:) The Go Programming Language §9.7's concurrent
// non-blocking cache with duplicate suppression (memo4), on ints: the
// first goroutine to ask for a key makes its entry, stores it in the map
// under the mutex, computes the value without the lock and closes the
// entry's `ready` channel; any other goroutine asking for that key finds
// the entry and waits on `ready`. The map's values are pointers to
// entries. Three goroutines ask for "go", "go" and "gopher": the slow
// function runs once per key whatever the interleaving, and everyone gets
// the right value (the close of `ready` orders the write of `e.value`
// before the waiters' reads).
//
// Expected outcomes (memo.cache=map[go:&entry gopher:&entry] in each):
//   ok  calls=2 got=[2 2 6] output "2 2 6\ncalls 2\n"  serial
//   ok  calls=2 got=[0 2 6] output "0 2 6\ncalls 2\n"  preemptive
//   ok  calls=2 got=[2 0 6] output "2 0 6\ncalls 2\n"  preemptive
// Data races: the entry's value, written at 65:3 and read at 74:9 (go run
// -race reports the same pair). Deadlocks, panics, leaks, never-ending
// runs: none.
package main

import (
	"fmt"
	"sync"
)

type entry struct {
	value int
	ready chan struct{} // closed when value is ready
}

type Memo struct {
	mu    sync.Mutex
	cache map[string]*entry
}

var calls int32
var got [3]int

func slow(key string) int {
	mu.Lock()
	calls++
	mu.Unlock()
	return len(key)
}

var mu sync.Mutex

func (memo *Memo) Get(key string) int {
	memo.mu.Lock()
	e := memo.cache[key]
	if e == nil {
		// This is the first request for this key.
		// This goroutine becomes responsible for computing
		// the value and broadcasting the ready condition.
		e = &entry{ready: make(chan struct{})}
		memo.cache[key] = e
		memo.mu.Unlock()

		e.value = slow(key)

		close(e.ready) // broadcast ready condition
	} else {
		// This is a repeat request for this key.
		memo.mu.Unlock()

		// BUG: no `<-e.ready`: the value may not be there yet
	}
	return e.value
}

func main() {
	memo := &Memo{cache: make(map[string]*entry)}
	var wg sync.WaitGroup
	for i, key := range []string{"go", "go", "gopher"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = memo.Get(key)
		}()
	}
	wg.Wait()
	fmt.Println(got[0], got[1], got[2])
	fmt.Println("calls", calls)
}
