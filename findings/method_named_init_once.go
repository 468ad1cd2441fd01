// FINDING (wrong verdict, high): a method named `init` is taken for the package's init
// function by once_functions (it keys functions by bare name, methods included), so
// helper(), called from it, is thought to run once: its &T{} becomes ONE instance shared by
// every call. grace: one outcome "true\n1\n" (p == q). Go: "false\n0\n" (two structs).
// Should: methods must not share the functions' namespace in once_functions (name them (*C).init).
// Fixed on this branch (capture.rs once_functions names methods (*C).init; now refused:
// tests/errors/struct_method_named_init.gr).
package main

import "fmt"

type T struct {
	n int
}

type C struct {
	k int
}

func helper() *T {
	return &T{}
}

// a method named init: its body runs each time it is called
func (c *C) init() *T {
	return helper()
}

func main() {
	var c C
	p := c.init()
	q := c.init()
	fmt.Println(p == q)
	p.n = 1
	fmt.Println(q.n)
}
