// struct_forms.go — struct forms Go code uses: an embedded sync.Once
// (w.Do runs its function once), a method whose receiver has no name
// (func (*T) Name()), and struct literals in var groups, at top level and
// in main.
//
// Expected outcomes:
//   ok  w.n=2 t.n=2 u.n=3 output "2 2 3 T\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type W struct {
	sync.Once
	n int
}

type T struct{ n int }

func (*T) Name() string { return "T" }

var (
	w = W{n: 1}
	t = T{n: 2}
)

func main() {
	var (
		u = T{n: 3}
	)
	w.Do(func() { w.n++ })
	w.Do(func() { w.n++ })
	fmt.Println(w.n, t.n, u.n, t.Name())
}
