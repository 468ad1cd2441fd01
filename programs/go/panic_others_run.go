// panic_others_run.go — a panic that is not recovered ends the run at a
// step of its own: when a goroutine panics, Go's runtime prints the panic
// and exits, and the other goroutines may run meanwhile. main holds mu,
// starts a goroutine that waits for it, computes for a while, unlocks and
// panics (no deferred call): between the Unlock and the exit, the
// goroutine can take mu and print.
//
// Expected outcomes (sc and go: race-free), no globals:
//   panic  "boom"  output ""          serial (main runs on to the exit)
//   panic  "boom"  output "got it\n"  preemptive (the goroutine locks and
//          prints after main's Unlock, before the exit; go1.27 printed it
//          in 3 of 60 runs)
// Data races, deadlocks, leaks: none.
package main

import (
	"fmt"
	"sync"
)

var mu sync.Mutex

func main() {
	mu.Lock()
	go func() {
		mu.Lock()
		fmt.Println("got it")
		mu.Unlock()
	}()
	n := 0
	for i := 0; i < 1000; i++ {
		n += i
	}
	mu.Unlock()
	if n > 0 {
		panic("boom")
	}
}
