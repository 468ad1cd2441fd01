// literal_short_circuit.go — a struct literal on the right of && is
// evaluated only when the left is true, as Go does: with p nil, p.n is
// never read (a review found grace set the literal's fields before the
// statement, reading p.n and panicking on a nil pointer Go never touches).
//
// Expected outcomes:
//   ok  T#1.n=0 T#2.n=0  output "false\ndone\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type T struct{ n int }

func check(p *T) bool {
	return p != nil && (&T{n: p.n}).n > 0
}

func main() {
	fmt.Println(check(nil))
	var q *T
	if q != nil && (&T{n: q.n}).n > 0 {
		fmt.Println("pos")
	}
	fmt.Println("done")
}
