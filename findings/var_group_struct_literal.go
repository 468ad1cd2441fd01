// FINDING (valid Go refused, misleading message, low): a struct literal in a var group
// does not parse (var_group's specs take `expr`, not the new `value`), and the feature scan
// blames the type declaration: "11:1: error: only struct types can be declared: `type T
// struct { … }`". Go: prints 1. Same misleading message for struct tags (`json:"n"`),
// `t.n.m = 1`, `t.n[0] = 1`, `x := [2]*T{}`.
// Should: accept `b = T{n: 1}` in a var group (as `var b = T{n: 1}` is), and not blame `type`.
package main

import "fmt"

type T struct {
	n int
}

var (
	a T
	b = T{n: 1}
)

func main() {
	fmt.Println(a.n + b.n)
}
