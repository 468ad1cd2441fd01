// defer_order.go — what `defer` does in one goroutine: deferred calls run
// last-in first-out when the function returns (after `return x` has
// evaluated x), and their arguments — and a loop variable passed to a
// deferred call — are evaluated at the `defer` statement, not at the call.
// main's own deferred calls run before the program exits.
//
// Expected outcome (one goroutine: sc and go agree), no globals:
//   ok  serial  output:
//     body
//     literal 2                      (deferred last, runs first; y = x = 2)
//     show 1                         (x was 1 when `defer show(x)` ran)
//     print deferred with x = 1
//     f returned 2
//     2 1 0                          (three deferred prints, LIFO)
//     main's deferred call
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func show(x int) {
	fmt.Println("show", x)
}

func f() int {
	x := 1
	defer fmt.Println("print deferred with x =", x)
	defer show(x)
	x = 2
	defer func(y int) {
		fmt.Println("literal", y)
	}(x)
	fmt.Println("body")
	return x
}

func count() {
	defer fmt.Println()
	for i := 0; i < 3; i++ {
		defer fmt.Print(i, " ")
	}
}

func main() {
	defer fmt.Println("main's deferred call")
	fmt.Println("f returned", f())
	count()
}
