// local_var_groups.go — `var` inside function bodies with several names
// and in groups: `var a, b int` (zero values), `var a, b = 1, 2`,
// `var q, r = divmod(…)` (a call with several results), and `var ( … )`.
// A spec's values are all evaluated before its names are declared, so in
// `var x, y = y, x` the values are the outer y and x (a swap into the new
// names). Two workers each add their share to total under mu.
//
// Expected outcomes (sc and go: the program is race-free, so they agree),
// globals total:
//   ok  total=10  output "0 false 1 2\n3 1\n2 1 true\n10\n"  serial
// (the only outcome: worker(3) adds 3 and worker(7) adds 7 under mu,
// and main reads total after wg.Wait; the rest is local). divmod(7, 2) is
// 3, 1; the group gives x, y = 2, 1 (swapped) and ok = true.
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var (
	mu    sync.Mutex // guards total
	total int
	wg    sync.WaitGroup
)

func divmod(a, b int) (int, int) {
	return a / b, a % b
}

func worker(n int) {
	defer wg.Done()
	var (
		share = n
		done  bool
	)
	mu.Lock()
	total += share
	done = true
	mu.Unlock()
	if !done {
		panic("not done")
	}
}

func main() {
	var a, b int
	var c, d bool
	var e, f = 1, 2
	fmt.Println(a+b, c || d, e, f)
	var q, r = divmod(7, 2)
	fmt.Println(q, r)
	x, y := 1, 2
	{
		var (
			x, y = y, x
			ok   bool = x > y
		)
		fmt.Println(x, y, ok)
	}
	_, _ = x, y
	wg.Add(2)
	go worker(3)
	go worker(7)
	wg.Wait()
	fmt.Println(total)
}
