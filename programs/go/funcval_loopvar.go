// funcval_loopvar.go — per-iteration loop variables (Go 1.22) seen through
// a bound func literal: each iteration binds `send`, which uses that
// iteration's `i`, and starts it with `go send()`; the post statement
// `i++` changes the next iteration's `i`, not the one `send` uses. Three
// goroutines send 0, 10 and 20 in some order.
//
// Expected outcomes (the sum of the three sends, in every order):
//   ok  output "30\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	results := make(chan int, 3)
	for i := 0; i < 3; i++ {
		send := func() {
			defer wg.Done()
			results <- i * 10
		}
		wg.Add(1)
		go send()
	}
	wg.Wait()
	close(results)
	sum := 0
	for v := range results {
		sum += v
	}
	fmt.Println(sum)
}
