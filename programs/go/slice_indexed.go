// slice_indexed.go — slice literals that are only indexed, measured with
// len and ranged over: `primes := []int{…}` and `var names = []string{…}`
// behave as the arrays `[4]int{…}` and `[2]string{…}`, and so grace takes
// them. The goroutines read `primes`, which nobody writes: each gets a copy
// of its elements when it starts, which no run can tell from Go's shared
// backing array.
//
// Expected outcomes: the products 2*3 and 5*7 arrive in either order, and
// their sum is 41 in every run; the names are printed in order:
//   ok  output "41 4\nalice 0\nbob 1\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	primes := []int{2, 3, 5, 7}
	products := make(chan int)
	for i := 0; i < len(primes); i += 2 {
		go func() {
			products <- primes[i] * primes[i+1]
		}()
	}
	sum := <-products + <-products
	fmt.Println(sum, len(primes))

	var names = []string{"alice", "bob"}
	for i := range names {
		fmt.Println(names[i], i)
	}
}
