// Constants declared in function bodies, as Go writes them: alone, in a
// group with iota, typed, strings, used by a func literal, and hidden by
// an inner variable of the same name.
//
// Expected (main and one goroutine; one outcome): the goroutine prints
// `worker 2 of 3` then main prints `hello, world 0 1 2 255 3` and
// `inner 7` (the inner `n` is a variable that hides the constant), then
// `n 3`, then `3 of 3` (a body string constant as a Printf format), and
// last, at main's return, the deferred `deferred 3 worker`.
package main

import (
	"fmt"
	"sync"
)

var wg sync.WaitGroup

func main() {
	const n = 3
	const greeting = "hello, " + "world"
	const (
		a = iota
		b
		c
	)
	const max uint8 = 255
	defer fmt.Println("deferred", n, "worker")
	wg.Add(1)
	go func(id int) {
		const label = "worker"
		fmt.Println(label, id, "of", n)
		wg.Done()
	}(n - 1)
	wg.Wait()
	fmt.Println(greeting, a, b, c, max, n)
	{
		n := 7
		fmt.Println("inner", n)
	}
	fmt.Println("n", n)
	const format = "%d of %d\n"
	fmt.Printf(format, c+1, n)
}
