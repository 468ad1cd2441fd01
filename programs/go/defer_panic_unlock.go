// defer_panic_unlock.go — deferred calls run while a panic unwinds, as
// steps like any other, before the panic ends the run. worker locks mu and
// defers its Unlock, then divides by zero: the panic first runs the
// deferred Unlock (last deferred, first run), then the deferred print,
// and only then ends the run, at a step of its own. Between the Unlock
// and the exit, the other goroutine can take the lock that the unwinding
// released and print, before or after the deferred print.
//
// Expected outcomes (sc and go: race-free), no globals:
//   panic  "runtime error: integer divide by zero"  output "worker unwound\n"  serial
//          (main runs on: Lock, the panic, the deferred Unlock and print)
//   panic  "runtime error: integer divide by zero"
//          output "other goroutine got the lock\nworker unwound\n"  preemptive
//          (the goroutine locks before main, or between main's deferred
//          Unlock and its deferred print)
//   panic  "runtime error: integer divide by zero"
//          output "worker unwound\nother goroutine got the lock\n"  preemptive
//          (the goroutine locks after the deferred print, before the
//          exit; go1.27 printed it in about a quarter of 200 runs)
// "10 / d" never prints. Data races, deadlocks, leaks: none (a goroutine
// blocked on mu when the panic ends the run is not a leak: the run did not
// end by main's return).
package main

import (
	"fmt"
	"sync"
)

var mu sync.Mutex

func worker(d int) {
	defer fmt.Println("worker unwound")
	mu.Lock()
	defer mu.Unlock()
	fmt.Println(10 / d)
}

func main() {
	go func() {
		mu.Lock()
		fmt.Println("other goroutine got the lock")
		mu.Unlock()
	}()
	worker(0)
}
