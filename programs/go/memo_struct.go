// memo_struct.go — the memo cache as Go code usually writes it: a struct
// holding its mutex and its map, made in main with &Memo{cache:
// make(…)}, and a Get method that looks up and stores under the lock.
// The map field is a reference to the map main made (listed in outcomes
// both through the field, memo.cache, and by where it was made).
//
// Expected outcomes:
//   ok  memo.cache=map[five:25 ten:100] output "2\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
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
	m.mu.Lock()
	defer m.mu.Unlock()
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
