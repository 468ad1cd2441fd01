// FINDING (accepts what Go rejects, low): two embedded fields that both promote Lock make
// t.Lock ambiguous in Go ("ambiguous selector t.Lock"); grace takes the first (Mutex)
// and checks the program: 1 outcome, clean.
// Likewise, on one line, `type T struct { sync.Mutex; sync.Mutex }` is accepted (Go:
// "Mutex redeclared"), though the same fields on separate lines are refused.
package main

import "sync"

type T struct {
	sync.Mutex
	sync.RWMutex
}

var t T

func main() {
	t.Lock()
	t.Unlock()
}
