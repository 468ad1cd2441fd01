// nil_global_chan.go — a top-level channel declared without `make` is nil,
// as in Go: the goroutine's send and main's receive both block for ever,
// and Go reports the deadlock. (Before, grace made such a channel by
// itself and reported a normal end: a forgotten `make` went unseen.)
//
// Expected outcomes:
//   deadlock  serial   (main blocked receiving from the nil results, the
//                       worker blocked sending on it)
// Data races, panics, leaks, never-ending runs: none.
package main

import "fmt"

var results chan int

func worker() {
	results <- 42
}

func main() {
	go worker()
	fmt.Println(<-results)
}
