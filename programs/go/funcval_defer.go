// funcval_defer.go — a bound func literal deferred: `defer cleanup("a")`
// evaluates its argument at the defer, runs after main's last statement,
// and sees `closed` as it is then (a variable a bound literal uses and
// somebody assigns is main's one shared variable). A goroutine's deferred
// bound literal marks its wait group done.
//
// Expected outcomes:
//   ok  closed=true output "work\ncleanup a true\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	closed := false
	cleanup := func(name string) {
		fmt.Println("cleanup", name, closed)
	}
	finish := func() {
		wg.Done()
	}
	defer cleanup("a")
	wg.Add(1)
	go func() {
		defer finish()
		fmt.Println("work")
	}()
	wg.Wait()
	closed = true
}
