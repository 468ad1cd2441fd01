// FINDING (valid Go refused, low): a select case may receive into any assignable
// operand, `case r.n = <-ch:`, but recv_case binds plain names only: grace says
// "19:11: error: syntax error: expected `(`, `.`, `[` or an operator, found `=`". Go: 5.
// (`r.n = <-ch` as a statement works.) In a file that also has `x.once.Do(func() {…})`
// before it, the feature scan blames that literal instead ("function values are not
// supported"), far from the real error.
package main

import "fmt"

type R struct{ n int }

var r R

func main() {
	ch := make(chan int, 1)
	ch <- 5
	select {
	case r.n = <-ch:
	}
	fmt.Println(r.n)
}
