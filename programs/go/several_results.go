// several_results.go — functions with several results: `(int, bool)`,
// named results with a bare `return`, `return f()` of a function with
// the same results, `a, b := f()`, `a, b = f()`, `_`, and calls that drop
// their results (a statement, `defer`, `go`). Two buyers race for the one
// item in stock; take reports whether it got one.
//
// Expected outcomes (sc and go: the program is race-free, so they agree),
// globals stock:
//   ok  stock=0  output "buyer 1 got 1\nbuyer 2 got nothing\n3 1 2 0 1\n4 1\n5\n"
//   ok  stock=0  output "buyer 2 got nothing\nbuyer 1 got 1\n3 1 2 0 1\n4 1\n5\n"
//   ok  stock=0  output "buyer 2 got 1\nbuyer 1 got nothing\n3 1 2 0 1\n4 1\n5\n"
//   ok  stock=0  output "buyer 1 got nothing\nbuyer 2 got 1\n3 1 2 0 1\n4 1\n5\n"
// (the first take gets item 1, the second finds the stock empty; each
// buyer prints after its take, in either order). Then split(7) = 3, 1;
// split(4) = 2, 0; split(5)'s remainder is 1. Go's special form passes
// all of split(9)'s results on: Println prints 4 1, add returns 4 + 1. The
// goroutine `go split(3)` only computes (its results are dropped), so it
// adds interleavings but no outcome.
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var mu sync.Mutex // guards stock
var stock = 1
var wg sync.WaitGroup

// take removes one item if there is one: its number and whether it got one.
func take() (int, bool) {
	mu.Lock()
	defer mu.Unlock()
	if stock == 0 {
		return 0, false
	}
	stock--
	return stock + 1, true
}

// split returns its named results with a bare return.
func split(n int) (q, r int) {
	q = n / 2
	r = n % 2
	return
}

// buy has the same results as take.
func buy() (int, bool) {
	return take()
}

func add(a, b int) int {
	return a + b
}

func buyer(id int) {
	defer wg.Done()
	n, ok := buy()
	if ok {
		fmt.Println("buyer", id, "got", n)
	} else {
		fmt.Println("buyer", id, "got nothing")
	}
}

func main() {
	defer split(3)
	wg.Add(2)
	go buyer(1)
	go buyer(2)
	go split(3)
	wg.Wait()
	q, r := split(7)
	var a, b int
	a, b = split(4)
	_, r2 := split(5)
	split(1)
	fmt.Println(q, r, a, b, r2)
	fmt.Println(split(9))
	fmt.Println(add(split(9)))
}
