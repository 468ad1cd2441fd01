// recover.go — recover() in deferred functions. A worker whose job is
// invalid panics; its deferred handler recovers, counts the failure under
// mu and lets the worker return normally, so its deferred wg.Done still
// runs. safeDiv turns an integer division by zero into a result: its
// deferred func literal recovers, prints the panic's value as Go prints it
// and sets the named result ok, which is what safeDiv returns.
//
// Expected outcomes (sc and go: the program is race-free, so they agree),
// globals failures:
//   ok  failures=1  output "5 true\nrecovered: runtime error: integer divide by zero\n0 false\nfailures: 1\n<nil>\n"
// (the only outcome: worker(0) panics "no job" and handler recovers it,
// counting 1; worker(2) prints 10/2 = 5 true; main prints after wg.Wait.
// safeDiv(1, 0) recovers the division by zero: q is still 0 and ok is set
// to false. recover() outside a panic is nil.) No panic outcome: both
// panics are recovered.
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var mu sync.Mutex // guards failures
var failures int
var wg sync.WaitGroup

// safeDiv divides a by b; ok is false if the division panicked.
func safeDiv(a, b int) (q int, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered:", r)
			ok = false
		}
	}()
	q = a / b
	ok = true
	return
}

// handler is deferred by name: recover is called directly by it.
func handler() {
	r := recover()
	if r != nil {
		mu.Lock()
		failures++
		mu.Unlock()
	}
}

func worker(d int) {
	defer wg.Done()
	defer handler()
	if d == 0 {
		panic("no job")
	}
	q, ok := safeDiv(10, d)
	fmt.Println(q, ok)
}

func main() {
	wg.Add(2)
	go worker(0)
	go worker(2)
	wg.Wait()
	q, ok := safeDiv(1, 0)
	fmt.Println(q, ok)
	mu.Lock()
	fmt.Println("failures:", failures)
	mu.Unlock()
	fmt.Println(recover())
}
