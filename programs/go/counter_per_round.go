// counter_per_round.go — a constructor called in a loop: each round gets
// a new Counter (a struct with its own mutex, made by `&Counter{}` in
// NewCounter), which two goroutines increment under its lock. Each
// round's counter is its own: nothing races, and every run prints 4.
//
// Expected outcomes:
//   ok  output "4\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import (
	"fmt"
	"sync"
)

type Counter struct {
	mu sync.Mutex
	n  int
}

func NewCounter() *Counter {
	return &Counter{}
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func main() {
	var wg sync.WaitGroup
	total := 0
	for round := 0; round < 2; round++ {
		c := NewCounter()
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.Inc()
			}()
		}
		wg.Wait()
		total += c.Value()
	}
	fmt.Println(total)
}
