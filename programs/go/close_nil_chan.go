// close_nil_chan.go — closing a nil channel panics in Go ("close of nil
// channel"); a nil channel compares equal to nil.
//
// Expected outcomes:
//   panic "close of nil channel"  output "true\n"  serial
// Data races, deadlocks, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	var done chan struct{}
	fmt.Println(done == nil)
	close(done)
}
