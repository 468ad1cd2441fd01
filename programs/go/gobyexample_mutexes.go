// gobyexample_mutexes.go — Go by Example's "mutexes", as written there
// with smaller counts: a Container holds a map of counters behind its
// mutex, and main binds a func literal, `doIncrement`, that three
// goroutines run (`go doIncrement("a", 2)`). Each increment of the map
// field `c.counters[name]++` is under the lock, so every run ends with
// the same counts.
//
// Expected outcomes:
//   ok  c.counters=map[a:4 b:2] output "map[a:4 b:2]\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Container struct {
	mu       sync.Mutex
	counters map[string]int
}

func (c *Container) inc(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counters[name]++
}

func main() {
	c := Container{
		counters: map[string]int{"a": 0, "b": 0},
	}

	var wg sync.WaitGroup

	doIncrement := func(name string, n int) {
		for i := 0; i < n; i++ {
			c.inc(name)
		}
		wg.Done()
	}

	wg.Add(3)
	go doIncrement("a", 2)
	go doIncrement("a", 2)
	go doIncrement("b", 2)

	wg.Wait()
	fmt.Println(c.counters)
}
