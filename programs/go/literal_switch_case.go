// literal_switch_case.go — a struct literal in a switch case is
// evaluated only when the cases before it did not match, and one in the
// switch's header before the tag is compared, as Go does.
//
// Expected outcomes:
//   ok  output "zero\np0\ng 1\none\np 1\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type T struct{ n int }

func g(k int) int {
	fmt.Println("g", k)
	return k
}

func main() {
	for i := 0; i < 2; i++ {
		switch {
		case i == 0:
			fmt.Println("zero")
		case (&T{n: g(i)}).n == 1:
			fmt.Println("one")
		}
		switch p := (&T{n: i}); p.n {
		case 0:
			fmt.Println("p0")
		default:
			fmt.Println("p", p.n)
		}
	}
}
