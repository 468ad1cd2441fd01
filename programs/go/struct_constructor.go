// struct_constructor.go — the constructor idiom: NewCounter returns
// &Counter{…}, and main, which calls it once, shares the counter with two
// goroutines through the pointer. A struct made by &T{…} where the code
// runs once per run is named by its type and number in reports
// (Counter#1.n); in a loop it would be refused.
//
// Expected outcomes:
//   ok  Counter#1.n=12 output "12\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Counter struct {
	mu sync.Mutex
	n  int
}

func NewCounter(start int) *Counter {
	return &Counter{n: start}
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func main() {
	c := NewCounter(10)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Inc()
		}()
	}
	wg.Wait()
	fmt.Println(c.n)
}
