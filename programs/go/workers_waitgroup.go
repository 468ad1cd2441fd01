// workers_waitgroup.go — workers as Go programs write them: a WaitGroup
// and a Mutex declared in main, handed to each worker as pointers
// (`wg *sync.WaitGroup`, `&wg`), and a send-only results channel. Each
// worker sends the square of its id under the mutex and says Done (a
// deferred call on the pointer). main waits, closes the channel and adds
// up what is buffered.
//
// Expected outcomes (the sum does not depend on the order):
//   ok  output "14\n"  serial   (1 + 4 + 9)
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func worker(id int, wg *sync.WaitGroup, mu *sync.Mutex, out chan<- int) {
	defer wg.Done()
	mu.Lock()
	out <- id * id
	mu.Unlock()
}

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	out := make(chan int, 3)
	for i := 1; i <= 3; i++ {
		wg.Add(1)
		go worker(i, &wg, &mu, out)
	}
	wg.Wait()
	close(out)
	sum := 0
	for v := range out {
		sum += v
	}
	fmt.Println(sum)
}
