// jobs_ptr_chan.go — jobs sent as pointers, `chan *Job`, as Go code
// usually hands out work: main makes three jobs, two workers take them
// from the channel, fill in the result and send the same pointer back.
// The send and the receive order every access to a job, so nothing races:
// main reads each result only after the job came back.
//
// Expected outcomes (each worker's jobs in any order; the sum is fixed):
//   ok  output "12\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type Job struct {
	id     int
	result int
}

func worker(jobs <-chan *Job, done chan<- *Job) {
	for j := range jobs {
		j.result = j.id * 2
		done <- j
	}
}

func main() {
	jobs := make(chan *Job, 3)
	done := make(chan *Job)
	go worker(jobs, done)
	go worker(jobs, done)
	for i := 1; i <= 3; i++ {
		jobs <- &Job{id: i}
	}
	close(jobs)
	sum := 0
	for i := 0; i < 3; i++ {
		j := <-done
		sum += j.result
	}
	fmt.Println(sum)
}
