// memo_map_racy.go — memo_map_mutex.go without the mutex: the two
// goroutines look up and store in the map at once. Go's runtime marks a
// map while it writes it, and another write or a read that meets the mark
// stops the program: `fatal error: concurrent map writes`, or `concurrent
// map read and map write`. When the accesses do not overlap the run ends
// as the mutex's does, but the data race on the map is there all the same.
//
// Expected outcomes (the map in key order; main prints nothing, so that a
// lost store in a real run shows no different output):
//   ok     cache=map[five:5 ten:55]           serial
//   panic  fatal error: concurrent map writes, with cache=map[],
//          map[five:5] or map[ten:55]       preemptive
//   panic  fatal error: concurrent map read and map write, with
//          cache=map[], map[five:5] or map[ten:55]  preemptive
// Data races: cache, read/write at 32:14 and 36:2, write/write at 36:2.
// Deadlocks, leaks, never-ending runs: none.
package main

import "sync"

var cache = make(map[string]int)

func fib(n int) int {
	a, b := 0, 1
	for i := 0; i < n; i++ {
		a, b = b, a+b
	}
	return a
}

func memo(key string, n int) int {
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
}
