// FINDING (wrong verdict, high): a plain function Make() called once from main makes
// once_functions treat the METHOD (*C).Make (same bare name) as running once, so helper()
// called from the method is "once" and its &T{} is one shared instance.
// grace: "true\n1\n"; Go: "false\n0\n". Should: key methods by (*C).Make in once_functions.
// Fixed on this branch (same fix as method_named_init_once.go).
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

func (c *C) Make() *T {
	return helper()
}

func Make() {}

func main() {
	Make()
	var c C
	p := c.Make()
	q := c.Make()
	fmt.Println(p == q)
	p.n = 1
	fmt.Println(q.n)
}
