// chan_compare_dirs.go — Go compares two channel values when either is
// assignable to the other's type: a `chan int` with the `<-chan int` or
// `chan<- int` made from it is the same channel (grace refused `r == c`
// with "mismatched types").
//
// Expected outcomes (one run; `go run` prints "true false true"):
//   ok  output "true false true\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func same(c chan int, r <-chan int) bool { return r == c }

func other(s chan<- int, c chan int) bool { return c == s }

func main() {
	a := make(chan int)
	b := make(chan int)
	fmt.Println(same(a, a), same(a, b), other(b, b))
}
