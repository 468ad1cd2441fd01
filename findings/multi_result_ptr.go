// FINDING (valid Go refused, confusing message, low-medium): a pointer from a function with
// several results, `p, ok := find(...)`, is not tracked as a struct pointer (fn_results only
// knows single-result functions), so p.n fails: "20:14: error: `n` must be called: add `()`".
// Go: "2 false". Should: track each result position, or say pointers from multi-result calls
// need `var p *T` first.
package main

import "fmt"

type T struct {
	n int
}

func find(a, b *T, first bool) (*T, bool) {
	if first {
		return a, true
	}
	return b, false
}

func main() {
	a := T{n: 1}
	b := T{n: 2}
	p, ok := find(&a, &b, false)
	fmt.Println(p.n, ok)
}
