// funcval_recover.go — func variables declared with `var`, one with its
// type written out, and a deferred one that recovers: `defer safe()` in
// `div` makes safe the deferred call that a panic runs, so its recover()
// stops the division by zero and div returns its zero result. `step`,
// called three times in a loop, adds to main's `n`, which it shares.
//
// Expected outcomes:
//   ok  n=6 output "2\nrecovered: runtime error: integer divide by zero\n0\n6\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	var safe = func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r)
		}
	}
	var div func(int, int) int = func(a, b int) int {
		defer safe()
		return a / b
	}
	fmt.Println(div(6, 3))
	fmt.Println(div(1, 0))
	n := 0
	step := func() { n += 2 }
	for i := 0; i < 3; i++ {
		step()
	}
	fmt.Println(n)
}
