// nil_struct_pointer.go — a field read through a nil pointer to a struct
// panics, as Go's runtime does; a pointer compares with nil first.
//
// Expected outcomes:
//   panic "runtime error: invalid memory address or nil pointer dereference" output "first nil\n"  serial
// Data races, deadlocks, leaks, never-ending runs: none.
package main

import "fmt"

type Node struct {
	value int
}

func (n *Node) Value() int {
	return n.value
}

func main() {
	var p *Node
	if p == nil {
		fmt.Println("first nil")
	}
	fmt.Println(p.Value())
}
