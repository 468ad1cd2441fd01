// funcval_mutex.go — a func literal bound to a variable and started twice
// by `go`: `add` captures main's `total`, `mu` and `wg` by reference, as
// a Go closure does, so both goroutines add to the one `total` under the
// one mutex. (funcval_racy.go is the same without the mutex.)
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
	total := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	add := func(n int) {
		defer wg.Done()
		mu.Lock()
		total += n
		mu.Unlock()
	}
	wg.Add(2)
	go add(1)
	go add(2)
	wg.Wait()
	fmt.Println(total)
}
