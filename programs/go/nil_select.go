// nil_select.go — merging two channels until both are closed, with Go's
// idiom for it: a closed input is set to nil, and a nil channel's case in
// a select is never ready, so the loop waits on the other input only; the
// loop ends when both are nil.
//
// Expected outcomes (1 and 2 arrive in either order, the sum is the same):
//   ok  output "3\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none. (Without
// `a = nil`, the closed a would be ready for ever: the loop would spin,
// found as a never-ending run.)
package main

import "fmt"

func emit(out chan<- int, v int) {
	out <- v
	close(out)
}

func main() {
	a := make(chan int)
	b := make(chan int)
	go emit(a, 1)
	go emit(b, 2)
	sum := 0
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			sum += v
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			sum += v
		}
	}
	fmt.Println(sum)
}
