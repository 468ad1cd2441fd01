// FINDING (valid Go refused, misleading message, low): a field of a call's result is
// assignable in Go (`f().n = 3`, `t.M().n = 5`), but lvalue is `name[index].field`
// only: syntax error. And the feature scan then blames `return &t` on line 15:
// "the bitwise operator `&` is not supported" (go_tokens::token_feature takes `&t` of a
// struct for a bitwise &; same for `return &T{}`).
// Go: prints 3.
package main

import "fmt"

type T struct{ n int }

var t T

func get() *T { return &t }

func main() {
	get().n = 3
	fmt.Println(t.n)
}
