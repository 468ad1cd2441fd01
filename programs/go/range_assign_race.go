// range_assign_race.go — `for v = range ch` assigns an existing variable
// at the start of each iteration, as an assignment does: when that
// variable is shared (here captured by a goroutine that reads it), each
// assignment is a write step and races with the read. After the loop the
// variable keeps the last value received (the closed channel ends the
// loop without assigning it).
//
// Expected outcomes (sc), globals seen:
//   ok  seen=2  output "seen 0\nlast 2\n"  preemptive (the goroutine first)
//   ok  seen=2  output "seen 1\nlast 2\n"  preemptive
//   ok  seen=2  output "seen 2\nlast 2\n"  serial (it runs after the loop)
// Data races: seen — read (line 26) vs write (line 29).
// Deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	jobs := make(chan int, 2)
	jobs <- 1
	jobs <- 2
	close(jobs)
	seen := 0
	done := make(chan bool)
	go func() {
		fmt.Println("seen", seen)
		done <- true
	}()
	for seen = range jobs {
	}
	<-done
	fmt.Println("last", seen)
}
