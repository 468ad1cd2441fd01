// memo_gopl_dup.go — The Go Programming Language §9.7's concurrent
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
// Expected outcomes:
//   ok  calls=2 got=[2 2 6] memo.cache=map[go:&entry gopher:&entry]
//       output "2 2 6\ncalls 2\n"  serial
// (a map's values that are pointers are listed as `&entry`: which struct a
// `&entry{…}` got is not a value of the program's)
// Data races, deadlocks, panics, leaks, never-ending runs: none.
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

		<-e.ready // wait for ready condition
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
