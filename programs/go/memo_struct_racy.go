// memo_struct_racy.go — memo_struct.go without the lock: the two lookups
// and stores meet in the map, and Go's runtime stops the program with
// `fatal error: concurrent map writes` or `concurrent map read and map
// write` when they overlap; the data race on the map is there in every
// run that does not order them.
//
// Expected outcomes:
//   ok     memo.cache=map[five:25 ten:100] output "2\n"  serial
//   panic  fatal error: concurrent map writes, with the map empty or
//          holding one of the two entries  preemptive
//   panic  fatal error: concurrent map read and map write, likewise
//          preemptive
// Data races: the map (made at 36:23), read/write at 28:14 and 31:2,
// write/write at 31:2. Deadlocks, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Memo struct {
	mu    sync.Mutex
	cache map[string]int
}

func (m *Memo) Get(key string, n int) int {
	if v, ok := m.cache[key]; ok {
		return v
	}
	m.cache[key] = n * n
	return n * n
}

func main() {
	memo := &Memo{cache: make(map[string]int)}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		memo.Get("five", 5)
	}()
	go func() {
		defer wg.Done()
		memo.Get("ten", 10)
	}()
	wg.Wait()
	fmt.Println(len(memo.cache))
}
