// FINDING (regression, medium): a for loop whose post statement assigns a plain name and
// whose body is a single call no longer parses: the new comp_value rule (grace.pest) reads
// `next {\n bump(i)\n }` as a composite literal `next{bump(i)}`, then misses the body.
// grace now: "15:2: error: syntax error: expected `{`, found end of line".
// Go and grace at 6d8c786: ok, output "1\n3\n9\n".
// Should: a composite literal after `=` only where a block cannot follow (or only for
// declared type names).
// Fixed on this branch: for_post tries post_assign (an `=` with a plain expression, then
// `{`) first (programs/go/for_post_assign.go).
package main

import "fmt"

var next = 1

func bump(i int) {
	fmt.Println(i)
	next = i * 3
}

func main() {
	for i := 1; i < 10; i = next {
		bump(i)
	}
}
