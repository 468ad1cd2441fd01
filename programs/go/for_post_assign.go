// for_post_assign.go — a for clause whose post statement assigns a name
// and whose body is one call: `next {` opens the body, it is no composite
// literal (Go reads none in a for header).
//
// Expected outcomes:
//   ok  next=27 output "1\n3\n9\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

var next = 1

func bump(i int) {
	fmt.Println(i)
	next = i * 3
}

func main() {
	for i := 1; i < 10; i = next {
		bump(i)
	}
}
