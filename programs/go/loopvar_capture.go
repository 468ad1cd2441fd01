// loopvar_capture.go — the loop-variable capture that was Go's most famous
// trap: three goroutines started in a loop each use `i`. Since Go 1.22
// each iteration has its own `i`, so the goroutines see 0, 1 and 2 (before
// 1.22 they all shared one `i` and often saw 3). The func literal also
// uses `results`, a channel made in main: a variable nobody assigns after
// its declaration is shared with a func literal as it is.
//
// Expected outcomes (the sum is 0 + 10 + 20 in every order of the sends):
//   ok  output "30\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var wg sync.WaitGroup

func main() {
	results := make(chan int, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- i * 10
		}()
	}
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	fmt.Println(sum)
}
