// jobs_ptr_chan_racy.go — the hand-over of jobs_ptr_chan.go with a
// mistake: main sends a job's pointer and then changes the job, without
// waiting for the worker. The worker's read of j.id races with main's
// write, and what it reads depends on which comes first. The worker takes
// the jobs with a select receiving into a pointer (`case j, ok := <-jobs`).
//
// Expected outcomes (the worker reads job 2 only after main's write to it:
// it is still blocked sending job 1's id when main writes):
//   ok  output "11\n"  preemptive (the worker reads job 1 before main's write)
//   ok  output "20\n"  serial
// Data race: on j.id (every job made at 39:8 is one variable for reports),
// the worker's read at 29:11 and main's write at 41:3.
// Deadlocks, panics, leaks: none.
package main

import "fmt"

type Job struct {
	id int
}

func worker(jobs chan *Job, out chan int) {
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			out <- j.id
		}
	}
}

func main() {
	jobs := make(chan *Job, 1)
	out := make(chan int)
	go worker(jobs, out)
	for i := 1; i <= 2; i++ {
		j := &Job{id: i}
		jobs <- j
		j.id = 10
	}
	fmt.Println(<-out + <-out)
	close(jobs)
}
