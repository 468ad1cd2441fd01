// chan_from_calls.go — channels used straight from the expression that
// gives them, as Go lets you: a generator function returning a receive-
// only channel, ranged over and received from directly (`range gen(3)`,
// `<-gen(1)`), and a channel of channels received from twice (`<-<-cc`).
//
// Expected outcomes (each generator's values come in order; the three
// prints happen in main, one after the other):
//   ok  output "0\n1\n2\n0\n7\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func gen(n int) <-chan int {
	out := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			out <- i
		}
		close(out)
	}()
	return out
}

func main() {
	for v := range gen(3) {
		fmt.Println(v)
	}
	fmt.Println(<-gen(1))
	cc := make(chan chan int, 1)
	c := make(chan int, 1)
	c <- 7
	cc <- c
	fmt.Println(<-<-cc)
}
