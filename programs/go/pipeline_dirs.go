// pipeline_dirs.go — a pipeline as Go programs write it: the channels are
// made in main and handed to each stage with a direction, `chan<- int` to
// the stage that sends on it and `<-chan int` to the one that receives.
// gen sends 1, 2, 3 and closes; sq squares what it receives until the
// channel is closed, then closes its own; main prints what arrives.
//
// Expected outcomes (one: each channel has one sender and one receiver,
// and unbuffered sends hand over in order):
//   ok  output "1\n4\n9\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func gen(out chan<- int) {
	for i := 1; i <= 3; i++ {
		out <- i
	}
	close(out)
}

func sq(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v * v
	}
	close(out)
}

func main() {
	nums := make(chan int)
	squares := make(chan int)
	go gen(nums)
	go sq(nums, squares)
	for s := range squares {
		fmt.Println(s)
	}
}
