// funcval_results.go — bound func literals with results: one result used
// in expressions (`v := square(3)`, as an argument), two named results
// taken by `x, r := divmod(…)`, and a goroutine that sends what the bound
// literal returns. `base`, captured, is never assigned: each call reads the
// value it was declared with. divmod's named result `q` is its own
// variable, not main's `q`, which stays 5.
//
// Expected outcomes:
//   ok  output "19 14\n5 3 1\n35\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	base := 10
	q := 5
	square := func(n int) int {
		return n*n + base
	}
	divmod := func(a, b int) (q, r int) {
		q = a / b
		r = a % b
		return
	}
	v := square(3)
	fmt.Println(v, square(2))
	x, r := divmod(7, 2)
	fmt.Println(q, x, r)
	out := make(chan int)
	go func() {
		out <- square(5)
	}()
	fmt.Println(<-out)
}
