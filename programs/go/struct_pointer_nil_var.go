// struct_pointer_nil_var.go — pointers to structs declared with their type
// and a nil (or any) initial value are pointers: p.n compiles, and runs
// only where p is not nil.
//
// Expected outcomes:
//   ok  a.n=2 output "nil\n2\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

type T struct {
	n int
}

func main() {
	a := T{n: 1}
	var p *T = nil
	if p == nil {
		fmt.Println("nil")
	}
	var q, r *T = &a, nil
	if r == nil {
		q.n++
	}
	p = q
	fmt.Println(p.n)
}
