// init_global.go — a `func init` that sets globals: Go runs it on the main
// goroutine before main, so main (and the goroutine it starts) sees its
// values, never the zero values.
//
// Expected outcomes (derived by hand): init writes limit = 10 and
// ready = true; main then starts worker, which reads both after the `go`
// (happens-before through the go statement) and sends limit on done; main
// receives 10 and prints "10 true".
//   ok  limit=10 ready=true  output "10 true\n"  serial
// Data races: none. Deadlocks: none. Leaks: none.
package main

import "fmt"

var limit int
var ready bool
var done = make(chan int)

func init() {
	limit = 10
	ready = true
}

func worker() {
	if ready {
		done <- limit
	} else {
		done <- 0
	}
}

func main() {
	go worker()
	fmt.Println(<-done, ready)
}
