// closure_counter_in_func.go — the closure counter race in a function of
// its own, as tests and examples often write it: run is called once, from
// main, so its `count`, its WaitGroup and its goroutines' shared counter
// are one of each for the run (a function called in a loop or from two
// places would be refused: its variables would be new on every call).
//
// Expected outcomes (the two goroutines' count++ may both read 0):
//   ok  count=2 output "2\n"  serial
//   ok  count=1 output "1\n"  preemptive
// Data races: count, read/write and write/write at 26:4. Deadlocks,
// panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func run(n int) int {
	var wg sync.WaitGroup
	count := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count++
		}()
	}
	wg.Wait()
	return count
}

func main() {
	fmt.Println(run(2))
}
