// string_messages.go — a channel of strings: two greeters send a message
// each on a buffered channel, main receives both and prints them in the
// order they arrived, then reports the total length.
//
// Expected outcomes (either greeter's message may arrive first):
//   ok  output "hello, ann\nhello, bob\n20\n"  serial
//   ok  output "hello, bob\nhello, ann\n20\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func greet(name string, out chan<- string) {
	out <- "hello, " + name
}

func main() {
	msgs := make(chan string, 2)
	go greet("ann", msgs)
	go greet("bob", msgs)
	total := 0
	for i := 0; i < 2; i++ {
		m := <-msgs
		fmt.Println(m)
		total += len(m)
	}
	fmt.Println(total)
}
