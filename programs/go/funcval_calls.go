// funcval_calls.go — a bound func literal called as people call one:
// twice in sequence, then from two goroutines, from another func literal,
// and through a second name. `report` captures `prefix` (never assigned,
// passed by value) and `done` (a channel); a call sees the variables where
// the literal was written, not a `prefix` declared later in an inner
// block. `hello := greet` keeps a declared function in a variable.
//
// Expected outcomes (the two goroutines print in either order):
//   ok  output "n=1\nn=2\nouter\nn=3\nhi 7\nn=10\nn=20\n"  serial
//   ok  output "n=1\nn=2\nouter\nn=3\nhi 7\nn=20\nn=10\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func greet(n int) {
	fmt.Println("hi", n)
}

func main() {
	prefix := "n="
	done := make(chan bool)
	report := func(n int) {
		fmt.Println(prefix + fmt.Sprint(n))
	}
	report(1)
	report(2)
	{
		prefix := "outer"
		fmt.Println(prefix)
		report(3)
	}
	hello := greet
	hello(7)
	again := func(n int) {
		report(n)
		done <- true
	}
	go again(10)
	go func() {
		again(20)
	}()
	<-done
	<-done
}
