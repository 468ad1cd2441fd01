// FINDING (misleading error, medium): any syntax error after a `type T struct` declaration
// (or after a method) is blamed on it: the feature scan looks from the start of the file for
// words like `type` and a top-level `func (`. grace: "5:1: error: methods are not supported:
// use plain functions and top-level variables" (stale: methods are supported), or with the
// type first "only struct types can be declared: `type T struct { … }`". Should: the real
// error (here an immediately-called func literal, 9:2) - skip `type X struct` and methods.
// The same scan also blamed `*A` ("pointers are not supported: use the shared variable by
// name") and `&A{` ("structs are not supported yet") for any declared struct type A.
// Fixed on this branch (parse.rs scan_features: declared struct types and well-formed
// receivers are no longer features; tests/errors/syntax_error_after_struct_type.gr).
package main

import "fmt"

func (a *A) Get() int { return a.n }

func main() {
	a := A{n: 1}
	func() {
		fmt.Println(a.Get())
	}()
}

type A struct {
	n int
}
