// literal_after_receive.go — Go evaluates a call's arguments left to
// right: `fmt.Println(<-done, (&T{n: get()}).n)` receives first, so get()
// reads counter after the goroutine's write is ordered before it (no
// race, always 5); and g(1) is called before the literal's g(2).
//
// Expected outcomes:
//   ok  counter=5 T#1.n=5 T#2.n=2  output "true 5\ng 1\ng 2\n3\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type T struct{ n int }

var counter int

func g(k int) int {
	fmt.Println("g", k)
	return k
}

func get() int { return counter }

func main() {
	done := make(chan bool)
	go func() {
		counter = 5
		done <- true
	}()
	fmt.Println(<-done, (&T{n: get()}).n)
	x := g(1) + (&T{n: g(2)}).n
	fmt.Println(x)
}
