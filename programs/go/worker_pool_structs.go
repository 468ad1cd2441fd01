// worker_pool_structs.go — the worker pool of Go by Example with struct
// values: jobs and results are structs sent by value over channels; a
// value-receiver method makes each result. Two workers share the jobs.
//
// Expected outcome: whichever worker takes which job and in whatever
// order the results arrive, the sum of the squares of 1, 2, 3 is 14 and
// the results carry their own job ids (1+2+3 = 6):
//   ok  output "14 6\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type job struct {
	id, n int
}

type result struct {
	id     int
	square int
	worker string
}

func (j job) do(worker string) result {
	return result{id: j.id, square: j.n * j.n, worker: worker}
}

func worker(name string, jobs <-chan job, results chan<- result) {
	for j := range jobs {
		results <- j.do(name)
	}
}

func main() {
	jobs := make(chan job, 3)
	results := make(chan result, 3)
	go worker("w1", jobs, results)
	go worker("w2", jobs, results)
	for i := 1; i <= 3; i++ {
		jobs <- job{id: i, n: i}
	}
	close(jobs)
	sum, ids := 0, 0
	for k := 0; k < 3; k++ {
		r := <-results
		sum += r.square
		ids += r.id
	}
	fmt.Println(sum, ids)
}
