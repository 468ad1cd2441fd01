// defer_named_results.go — named results and deferred func literals, with
// Go's order: `return e` sets the results, then the deferred calls run,
// then the function returns its results as they are then. A deferred func
// literal that assigns a named result changes what the caller gets; one
// that only reads sees the value `return` set. Two goroutines each store
// what double returns into their slot of a shared array; main reads them
// after wg.Wait.
//
// Expected outcomes (sc and go: the program is race-free, so they agree),
// globals got:
//   ok  got=[8 12]  output "seen 4\nseen 6\n8 12\n"
//   ok  got=[8 12]  output "seen 6\nseen 4\n8 12\n"
// double(3): `return r + 1` sets r = 4, the deferred literal prints "seen
// 4" and doubles r: 8. double(5): r = 6, "seen 6", 12. The two goroutines
// print in either order.
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var got [2]int // got[i] is written by worker i only, read after Wait
var wg sync.WaitGroup

func double(n int) (r int) {
	defer func() {
		fmt.Println("seen", r)
		r *= 2
	}()
	r = n
	return r + 1
}

func worker(i, n int) {
	defer wg.Done()
	got[i] = double(n)
}

func main() {
	wg.Add(2)
	go worker(0, 3)
	go worker(1, 5)
	wg.Wait()
	fmt.Println(got[0], got[1])
}
