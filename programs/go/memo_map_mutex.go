// memo_map_mutex.go — a memo cache: a map[string]int of computed
// results, filled by two goroutines, each looking its key up and storing
// what it computed. The mutex makes each look-up-then-store one critical
// section, so the map is never read and written at once.
//
// Expected outcomes (the map as fmt prints it, in key order):
//   ok  cache=map[five:5 ten:55] output "2 60\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var (
	mu    sync.Mutex
	cache = make(map[string]int)
)

func fib(n int) int {
	a, b := 0, 1
	for i := 0; i < n; i++ {
		a, b = b, a+b
	}
	return a
}

func memo(key string, n int) int {
	mu.Lock()
	defer mu.Unlock()
	if v, ok := cache[key]; ok {
		return v
	}
	v := fib(n)
	cache[key] = v
	return v
}

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		memo("ten", 10)
	}()
	go func() {
		defer wg.Done()
		memo("five", 5)
	}()
	wg.Wait()
	sum := 0
	for _, v := range cache {
		sum += v
	}
	fmt.Println(len(cache), sum)
}
