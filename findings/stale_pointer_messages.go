// FINDING (stale messages, low): with struct pointers in the language, two messages still
// say grace has no pointers:
//  - p := &acct.n  -> "`&x` is supported for sync objects (`&wg`, `&mu`) and as the first
//    argument of a sync/atomic function (...); grace has no other pointers"
//  - p := new(T)   -> "the builtin `new` is not supported: grace has no pointers; declare
//    the variable" (LANGUAGE.md: `new(T)` "not supported yet"; say `&T{}`)
// Also `x := acct.balance.x` says "`x` must be called: add `()`" (Go: acct.balance.x
// undefined (type int has no field or method x)), and `var x [2]T` says "local arrays must
// hold int or bool" rather than "arrays of structs are not supported yet".
package main

import "fmt"

type T struct{ n int }

func main() {
	var t T
	p := new(T)
	q := &t.n
	fmt.Println(p.n, *q)
}
