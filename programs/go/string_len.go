// string_len.go — len of a string is its length in bytes, as in Go: a
// constant for a constant string (len(greeting) is 6: é is two bytes), run
// time for a computed one.
//
// Expected outcomes:
//   ok  output "5 6 2 3\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

const greeting = "héllo"

func name(i int) string {
	if i == 0 {
		return "ann"
	}
	return "bob!"
}

func main() {
	s := name(1) + "x"
	fmt.Println(len(s), len(greeting), len("ab"), len(name(0)))
}
