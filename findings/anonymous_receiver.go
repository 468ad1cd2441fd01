// FINDING (valid Go refused, stale message, low): a method whose receiver has no name,
// `func (*T) Name() int`, does not parse (the receiver rule needs a name), and the
// feature scan then says "14:1: error: methods are not supported: use plain functions and
// top-level variables" - but methods are supported now. Go: prints 7.
// Should: accept `(*T)` (a receiver named `_`), or at least say "name the receiver".
package main

import "fmt"

type T struct {
	n int
}

func (*T) Seven() int { return 7 }

func main() {
	var t T
	fmt.Println(t.Seven())
}
