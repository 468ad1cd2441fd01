// worker_pool_structs.go — the worker pool of Go by Example with struct
// values: jobs and results are structs sent by value over channels; a
// value-receiver method makes each result. Two workers share the jobs.
//
// Expected outcome: whichever worker takes which job and in whatever
// order the results arrive, the sum of the squares of 1 and 2 is 5 and
// the results carry their own job ids (1+2 = 3):
//   ok  output "5 3\n"  serial
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
	jobs := make(chan job, 2)
	results := make(chan result, 2)
	go worker("w1", jobs, results)
	go worker("w2", jobs, results)
	for i := 1; i <= 2; i++ {
		jobs <- job{id: i, n: i}
	}
	close(jobs)
	sum, ids := 0, 0
	for k := 0; k < 2; k++ {
		r := <-results
		sum += r.square
		ids += r.id
	}
	fmt.Println(sum, ids)
}
