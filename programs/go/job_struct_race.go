// job_struct_race.go — a struct per loop iteration, made with &job{…}:
// each goroutine gets its own job, so the jobs never race with each
// other; but main changes the job after handing it over, without waiting,
// and that write races with the goroutine's read of the same field.
//
// Expected outcomes (each goroutine reads its job before or after main's
// `j.n *= 10`; the receives come in either order, the sum is the same):
//   ok  output "3\n"   serial (both read before main's write)
//   ok  output "12\n"  the first job read after, the second before
//   ok  output "21\n"  the first before, the second after
//   ok  output "30\n"  serial (both after)
// Data race: on j.n (every job made at 30:3 is one variable for reports),
// main's write at 32:3 and run's read at 24:9.
// Deadlocks, panics, leaks: none.
package main

import "fmt"

type job struct {
	n int
}

func run(j *job, out chan<- int) {
	out <- j.n
}

func main() {
	out := make(chan int)
	for i := 1; i <= 2; i++ {
		j := &job{n: i}
		go run(j, out)
		j.n *= 10
	}
	fmt.Println(<-out + <-out)
}
