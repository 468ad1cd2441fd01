// daemon_logger.go — a logging goroutine meant to run until the program
// ends, declared with a `// grace:daemon` comment alone on the line above
// its `go` statement (a func literal), beside a worker main waits for.
//
// Expected outcomes (derived by hand): the worker puts 1 in the buffered
// channel and is done; main returns once it is, and the logger may or may
// not have printed the 1 by then (both without preemption: after the
// worker ends, either main or the logger may run):
//   ok  output ""     serial
//   ok  output "1\n"  serial
// Data races: none. Deadlocks: none. Leaks: none — the logger is blocked
// at its receive when main returns, in every run, but it is declared a
// daemon (without the comment it would be a leak).
// Never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var logs = make(chan int, 1)
var wg sync.WaitGroup

func main() {
	// grace:daemon (prints what it is sent until the program ends)
	go func() {
		for {
			fmt.Println(<-logs)
		}
	}()
	wg.Add(1)
	go func() {
		logs <- 1
		wg.Done()
	}()
	wg.Wait()
}
