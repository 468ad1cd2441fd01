// struct_workers.go — workers that take a pointer to a shared struct and
// to a WaitGroup, as Go code passes them: the struct has a named mutex
// guarding two counters and an atomic counted without it. Each field is a
// variable of its own in the report (s.done, s.total, s.hits).
//
// Expected outcomes:
//   ok  s.done=3 s.total=6 s.hits=3 output "3 6 3\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Stats struct {
	mu    sync.Mutex
	done  int
	total int
	hits  atomic.Int64
}

func worker(id int, s *Stats, wg *sync.WaitGroup) {
	defer wg.Done()
	s.hits.Add(1)
	s.mu.Lock()
	s.done++
	s.total += id
	s.mu.Unlock()
}

func main() {
	var s Stats
	var wg sync.WaitGroup
	for i := 1; i <= 3; i++ {
		wg.Add(1)
		go worker(i, &s, &wg)
	}
	wg.Wait()
	fmt.Println(s.done, s.total, s.hits.Load())
}
