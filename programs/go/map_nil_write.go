// map_nil_write.go — a map declared and never made is nil, as in Go:
// reading it gives the zero value and `len` 0, but writing to it panics
// (`assignment to entry in nil map`), after the deferred call has run.
//
// Expected outcomes:
//   panic  assignment to entry in nil map, seen=map[] (nil, printed as fmt
//          prints it), output "0 false\nbye\n"  serial
// Data races, deadlocks, leaks, never-ending runs: none.
package main

import "fmt"

var seen map[string]bool

func visit(name string) {
	if !seen[name] {
		seen[name] = true
	}
}

func main() {
	defer fmt.Println("bye")
	fmt.Println(len(seen), seen["home"])
	visit("home")
}
