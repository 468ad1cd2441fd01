// jobs_freed.go — a producer that makes a job per iteration, more jobs
// than grace keeps per place (8), handed one at a time to a worker that
// drops each when done. A job nothing refers to any more is freed, as
// Go's garbage collector frees it, so the pool never runs out: the check
// is complete. The worker's writes to a job happen before main reads the
// total (the channel close and the WaitGroup order them).
//
// Expected outcomes:
//   ok  output "110\n"  serial (2 × (1 + 2 + … + 10))
// Data races, deadlocks, panics, leaks: none.
package main

import (
	"fmt"
	"sync"
)

type Job struct {
	id     int
	result int
}

func main() {
	jobs := make(chan *Job)
	var wg sync.WaitGroup
	total := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for j := range jobs {
			j.result = j.id * 2
			total += j.result
		}
	}()
	for i := 1; i <= 10; i++ {
		jobs <- &Job{id: i}
	}
	close(jobs)
	wg.Wait()
	fmt.Println(total)
}
