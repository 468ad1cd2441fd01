// FINDING (valid Go refused, low): an embedded atomic (the docs list atomics among the
// field types, and embedded sync objects promote their methods) does not promote Add/Load:
// grace: "T.Add undefined (type T has no field or method Add)". Go: prints 1.
// (promotes() in rewrite.rs knows Mutex, RWMutex, WaitGroup and Once only.)
package main

import (
	"fmt"
	"sync/atomic"
)

type T struct {
	atomic.Int64
}

var t T

func main() {
	t.Add(1)
	fmt.Println(t.Load())
}
