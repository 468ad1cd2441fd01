// multi_assign.go — several names in one assignment, as Go writes them:
// `a, b := 1, 2`, swaps `a, b = b, a` (of locals and of shared variables
// under a mutex), `:=` redeclaring one old name next to a new one, `_`, and
// Go's order: every index on the left and every value on the right first,
// then the assignments left to right.
//
// Expected outcome (derived by hand): two swaps of (x, y) under mu leave
// x=1 y=2; a, b = 10, 20 swapped gives a=20 b=10, then `c, a := 5, a+1`
// gives c=5 a=21; `_, d := 0, 3` gives d=3; in `i, arr[i] = 2, 7` the
// index i is read before i becomes 2, so arr[0]=7 and arr[2]=0. Prints
// "1 2 21 10 5 3 2 7 0".
//   ok  x=1 y=2  serial
// Data races: none. Deadlocks: none. Leaks: none.
package main

import (
	"fmt"
	"sync"
)

var x, y = 1, 2
var mu sync.Mutex
var wg sync.WaitGroup

func swap() {
	mu.Lock()
	x, y = y, x
	mu.Unlock()
	wg.Done()
}

func main() {
	a, b := 10, 20
	a, b = b, a
	c, a := 5, a+1
	_, d := 0, 3
	var arr [3]int
	i := 0
	i, arr[i] = 2, 7
	wg.Add(2)
	go swap()
	go swap()
	wg.Wait()
	fmt.Println(x, y, a, b, c, d, i, arr[0], arr[2])
}
