// panic_own_text.go — recover() gives back a panic's value as it was
// raised. A runtime error (a division by zero, an index out of range, a
// nil dereference) carries Go's "runtime error: " prefix; a program's own
// panic never does, whatever its text: panic("integer divide by zero") is
// recovered as "integer divide by zero", and so is a message built with
// fmt.Sprintf to read like the runtime's. A channel send after close has
// no prefix in Go either (the runtime raises it as a plain error). Nor
// does a panic's text make it a fatal error: panic("fatal error: …") is a
// panic, run deferred calls and is recovered like any other.
//
// Expected outcomes (one goroutine: every model agrees):
//   ok  output "0 recovered: integer divide by zero\n1 recovered: runtime error: integer divide by zero\n2 recovered: index out of range [5] with length 3\n3 recovered: runtime error: index out of range [5] with length 3\n4 recovered: runtime error: invalid memory address or nil pointer dereference\n5 recovered: send on closed channel\n6 recovered: runtime error: mine\n7 recovered: fatal error: all goroutines are asleep - deadlock!\n8 recovered: goroutine stack exceeds limit\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

type Node struct {
	value int
}

var zero int
var xs [3]int
var done = make(chan int, 1)

func try(k int) {
	defer func() { fmt.Println(k, "recovered:", recover()) }()
	var p *Node
	switch k {
	case 0:
		panic("integer divide by zero")
	case 1:
		fmt.Println(10 / zero)
	case 2:
		panic(fmt.Sprintf("index out of range [%d] with length %d", k+3, len(xs)))
	case 3:
		fmt.Println(xs[k+2])
	case 4:
		fmt.Println(p.value)
	case 5:
		close(done)
		done <- 1
	case 6:
		panic("runtime error: mine")
	case 7:
		panic("fatal error: all goroutines are asleep - deadlock!")
	case 8:
		panic(fmt.Sprint("goroutine stack exceeds limit"))
	}
}

func main() {
	for k := 0; k < 9; k++ {
		try(k)
	}
}
