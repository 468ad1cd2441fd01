// method_on_results.go — methods called on what a call returns and on
// what a receive gives: mk().Inc() through the pointer mk returns,
// pt().Sum() and (<-ch).Sum() on struct values (copies, as Go passes a
// value receiver).
//
// Expected outcomes:
//   ok  C#1.n=6 q.x=1 q.y=2  output "6\n3\n7\ntrue\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type C struct {
	n int
}

func (c *C) Inc() int {
	c.n++
	return c.n
}

type P struct {
	x, y int
}

func (p P) Sum() int { return p.x + p.y }

func mk() *C {
	return &C{n: 5}
}

func pt() P { return P{1, 2} }

func main() {
	fmt.Println(mk().Inc())
	fmt.Println(pt().Sum())
	ch := make(chan P, 1)
	ch <- P{3, 4}
	fmt.Println((<-ch).Sum())
	q := P{1, 2}
	fmt.Println(q == (P{1, 2}))
}
