// slice_range_goroutines.go — the commonest loop of GOPL and Go by
// Example, `for _, w := range []string{…}`, starting a goroutine per word.
// grace takes a slice literal that is only read as the array `[2]string{…}`
// it behaves as. Since Go 1.22 each iteration has its own `w`, so each
// goroutine sees its own word (were `w` shared, both could see "cde" and
// total could be 6).
//
// Expected outcomes: the two goroutines print in either order; total is
// 2 + 3 under the mutex in every run:
//   ok  total=5  output "ab\ncde\n5\n"  serial
//   ok  total=5  output "cde\nab\n5\n"  serial
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
	for _, w := range []string{"ab", "cde"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println(w)
			mu.Lock()
			total += len(w)
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println(total)
}
