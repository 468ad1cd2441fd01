// literal_eval_order.go — struct literals in short-circuit operands and
// in a loop: each is evaluated where Go evaluates it, so g prints only for
// the literals that are reached, in order.
//
// Expected outcomes:
//   ok  output "g 10\nfalse true\ng 1\nyes\ng 11\nfalse false\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type T struct{ n int }

func g(k int) int {
	fmt.Println("g", k)
	return k
}

func main() {
	x := 0
	for i := 0; i < 2; i++ {
		if x > 0 && (&T{n: g(i)}).n > 0 {
			fmt.Println("yes")
		}
		b := x > 5 || (&T{n: g(10 + i)}).n > 100
		c := x == 0 || new(T).n > 100
		fmt.Println(b, c)
		x++
	}
}
