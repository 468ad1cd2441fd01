// switch_order.go — the order in which a switch evaluates: the case
// expressions top to bottom, left to right, stopping at the first that
// holds (with a tag: equals the tag, evaluated once before them). Each atomic load in a case is a step of its
// own, so the writer can run between two of them.
//
// The writer stores b, then a. main's switch loads a first, and b only if
// a did not match. By hand (any interleaving):
//   a loaded as 1: b was already 1, but it is not loaded: "a".
//   a loaded as 0, b as 1 (the writer ran between the loads, or had
//     stored b only): "b".
//   a and b loaded as 0: "none".
// Never "a" with b unloaded and 0: that would need a before b.
//
// Expected outcomes (sc; the final a and b tell how far the writer got):
//   ok  a=0 b=0  output "none\n"  serial
//   ok  a=0 b=1  output "b\n"     preemptive
//   ok  a=0 b=1  output "none\n"  preemptive
//   ok  a=1 b=1  output "a\n"     preemptive
//   ok  a=1 b=1  output "b\n"     preemptive (a loaded as 0, then the writer ends)
//   ok  a=1 b=1  output "none\n"  preemptive (both loads before the writer)
// Data races: none. Deadlocks: none. Panics: none. Leaks: none.
// Never-ending runs: none.
package main

import (
	"fmt"
	"sync/atomic"
)

var a atomic.Int64
var b atomic.Int64

func writer() {
	b.Store(1)
	a.Store(1)
}

func main() {
	go writer()
	switch {
	case a.Load() == 1:
		fmt.Println("a")
	case b.Load() == 1:
		fmt.Println("b")
	default:
		fmt.Println("none")
	}
}
