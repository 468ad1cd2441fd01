// chan_root_after_pool.go — a channel made in a function (a pool channel)
// travels in the buffer of a channel that main makes once. mk is lowered
// before main, so its pool comes first in the channel table and main's
// `out` after it: the walk that frees unreachable pool channels must take
// the buffers of every channel outside the pools as roots, not only those
// before the first pool (it did, freed c while it sat in out's buffer, and
// the receive from c was reported as a deadlock).
//
// Expected outcomes (one run: main receives c back and reads its 1, as
// `go run` prints):
//   ok  output "1\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func mk(out chan chan int) {
	c := make(chan int, 1)
	c <- 1
	out <- c
}

func main() {
	out := make(chan chan int, 1)
	mk(out)
	c := <-out
	fmt.Println(<-c)
}
