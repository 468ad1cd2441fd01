// nil_chan_forgot_make.go — a channel declared but never made is nil, and
// a send or receive on a nil channel blocks for ever: the forgotten `make`
// deadlocks, as Go reports it ("all goroutines are asleep").
//
// Expected outcomes:
//   deadlock  serial   (main blocked receiving from the nil ch, the
//                       goroutine blocked sending on it)
// Data races, panics, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	var ch chan int
	go func() { ch <- 1 }()
	fmt.Println(<-ch)
}
