// atomic_func_array.go — the sync/atomic functions on array elements:
// two goroutines each count into their own slot of hits with
// atomic.AddUint64(&hits[id], 1) and both into hits[2]; a uint64 counter
// total is decremented past zero with atomic.AddUint64 of -one (2^64-1,
// as Go's unsigned negation gives), so it wraps. Main reads everything with atomic loads after
// wg.Wait().
//
// Expected outcomes (derived by hand): each Add is one atomic step, so
// whatever the interleaving hits is [2 2 4] (each worker adds 1 to its own
// slot twice and to hits[2] twice) and total is 0 - 4 = 18446744073709551612:
//   ok  hits=[2 2 4]  total=18446744073709551612
//       output "2 2 4 18446744073709551612\n"
// Data races: none. Deadlocks: none. Leaks: none.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

const rounds = 2

var hits [3]uint64
var total uint64
var wg sync.WaitGroup

func worker(id int) {
	var one uint64 = 1
	for i := 0; i < rounds; i++ {
		atomic.AddUint64(&hits[id], 1)
		atomic.AddUint64(&hits[2], 1)
		// -one is 2^64-1: adding it subtracts 1, wrapping below zero
		atomic.AddUint64(&total, -one)
	}
	wg.Done()
}

func main() {
	wg.Add(2)
	go worker(0)
	go worker(1)
	wg.Wait()
	fmt.Println(atomic.LoadUint64(&hits[0]), atomic.LoadUint64(&hits[1]), atomic.LoadUint64(&hits[2]), atomic.LoadUint64(&total))
}
