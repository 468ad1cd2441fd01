// labels.go — labelled break and continue, as Go programs write them: a
// worker loop `for { select { … } }` left with `break loop` when `done` is
// closed, `continue outer` and `break outer` across nested for loops, and
// `break sw` out of a for inside a labelled switch.
//
// By hand: the producer's two sends are unbuffered, so both are received
// (sum = 1 + 2) before it closes done; then the select can only take done,
// and `break loop` leaves the for, not only the select. The nested loops
// count (i, j) = (0, 0) and (1, 0): j = 1 continues the outer loop and
// i = 2 breaks it, so count = 2. The for inside the switch runs once:
// `break sw` leaves the switch, so count becomes 3 and the line after the
// switch adds 10: 13.
//
// Expected outcomes (sc):
//   ok  sum=3 count=13  output "3 13\n"
// Data races: none. Deadlocks: none. Panics: none. Leaks: none.
// Never-ending runs: none.
package main

import "fmt"

var work = make(chan int)
var done = make(chan struct{})
var sum int
var count int

func producer() {
	for i := 1; i <= 2; i++ {
		work <- i
	}
	close(done)
}

func main() {
	go producer()
loop:
	for {
		select {
		case v := <-work:
			sum += v
		case <-done:
			break loop
		}
	}
outer:
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			if j == 1 {
				continue outer
			}
			if i == 2 {
				break outer
			}
			count++
		}
	}
sw:
	switch {
	case sum > 0:
		for {
			count++
			break sw
		}
	}
	count += 10
	fmt.Println(sum, count)
}
