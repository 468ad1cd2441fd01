// panic_own_text_uncaught.go — the exit by a panic names a runtime error
// with Go's "runtime error: " prefix and a program's own panic without it,
// whatever its text. main divides by zero (a runtime error); its deferred
// call, run while that panic unwinds, panics with the same words of its
// own. Go prints both, the runtime's first:
//   panic: runtime error: integer divide by zero
//   	panic: integer divide by zero
//
// Expected outcomes (one goroutine: every model agrees):
//   panic "runtime error: integer divide by zero\n\tpanic: integer divide by zero"  output "before\n"  serial
// Data races, deadlocks, leaks, never-ending runs: none.
package main

import "fmt"

var zero int

func main() {
	defer func() { panic("integer divide by zero") }()
	fmt.Println("before")
	fmt.Println(10 / zero)
}
