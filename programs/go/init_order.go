// init_order.go — two `func init`s: Go runs them in the order they are
// declared, one after the other, before main.
//
// Expected outcome (derived by hand): the first init sets x = 1, the
// second x = 1*10 + 2 = 12, main x = 12*10 + 3 = 123 and prints it (in the
// other order it would be 213; never running them would give 3).
//   ok  x=123  output "123\n"  serial
// Data races: none. Deadlocks: none. Leaks: none.
package main

import "fmt"

var x int

func init() {
	x = 1
}

func main() {
	x = x*10 + 3
	fmt.Println(x)
}

func init() {
	x = x*10 + 2
}
