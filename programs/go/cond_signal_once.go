// cond_signal_once.go — cond_broadcast.go with the producer's Broadcast
// replaced by one Signal, a lost-wakeup bug: Signal wakes one waiter, so
// when both consumers are already waiting, the second waits for ever.
//
// Expected outcomes (sc and go agree: the program is race-free):
//   ok        items=0 taken=2  output "2\n"  serial      (main runs on
//       until wg.Wait, so the consumers find the items; or at most one
//       consumer waits, and the Signal wakes it)
//   deadlock  items=1 taken=1  output ""     preemptive  (both consumers
//       look before main adds the items and both wait; the Signal wakes
//       one, which takes an item; main waits at wg.Wait and the other
//       consumer at ready.Wait: "all goroutines are asleep")
// Data races: none. Panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var (
	mu    sync.Mutex
	ready = sync.NewCond(&mu) // signalled when items are added
	items int                 // guarded by mu
	taken int                 // guarded by mu
	wg    sync.WaitGroup
)

func consumer() {
	defer wg.Done()
	mu.Lock()
	for items == 0 {
		ready.Wait()
	}
	items--
	taken++
	mu.Unlock()
}

func main() {
	wg.Add(2)
	go consumer()
	go consumer()
	mu.Lock()
	items = 2
	mu.Unlock()
	ready.Signal() // BUG: wakes one consumer only
	wg.Wait()
	fmt.Println(taken)
}
