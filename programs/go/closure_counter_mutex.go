// closure_counter_mutex.go — closure_counter_race.go fixed the usual way:
// a mutex declared in main, locked around the shared `total` by each
// goroutine's func literal.
//
// Expected outcomes:
//   ok  total=3 output "3\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for i := 1; i <= 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total += i
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println(total)
}
