// FINDING (valid Go refused, confusing message, medium): a pointer declared with an explicit
// type and an initial value that is not a struct pointer expression (`= nil`) is not known
// to the struct pass as a pointer, so p.n is left as a selector. grace: "12:15: error: `n`
// must be called: add `()`". Go: prints "done". Also `var p, q *T = &a, nil` then q.n.
// Should: the declared type *T makes p a pointer whatever its initial value. Fixed on this
// branch (programs/go/struct_pointer_nil_var.go).
package main

import "fmt"

type T struct {
	n int
}

func main() {
	var p *T = nil
	if p != nil {
		fmt.Println(p.n)
	}
	fmt.Println("done")
}
