// funcval_racy.go — funcval_mutex.go without its mutex: the two goroutines
// that run the bound literal `add` share main's `total`, and `total += n`
// is a read and a write they can interleave, so one update can be lost.
//
// Expected outcomes:
//   ok  total=3 output "3\n"  serial       (one += after the other)
//   ok  total=1 output "1\n"  preemptive   (both read 0; the +=1 lands last)
//   ok  total=2 output "2\n"  preemptive   (both read 0; the +=2 lands last)
// Data races: total, read/write and write/write at 23:3. Deadlocks,
// panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func main() {
	total := 0
	var wg sync.WaitGroup
	add := func(n int) {
		defer wg.Done()
		total += n
	}
	wg.Add(2)
	go add(1)
	go add(2)
	wg.Wait()
	fmt.Println(total)
}
