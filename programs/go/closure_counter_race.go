// closure_counter_race.go — the closure that shares a counter: main's
// `total` is used and assigned by the goroutines its func literals start,
// so it is one variable shared by all of them, and `total += i` is a read
// and a write that the two goroutines can interleave. (The wait group is
// declared in main too, and each goroutine has its own loop variable i,
// Go 1.22.)
//
// Expected outcomes (global-like value total, printed at the end):
//   ok  total=3 output "3\n"  serial       (one += after the other)
//   ok  total=1 output "1\n"  preemptive   (both read 0; the +=1 lands last)
//   ok  total=2 output "2\n"  preemptive   (both read 0; the +=2 lands last)
// Data races: total, read/write and write/write at 28:4. Deadlocks,
// panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	total := 0
	for i := 1; i <= 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total += i
		}()
	}
	wg.Wait()
	fmt.Println(total)
}
