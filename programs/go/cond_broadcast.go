// cond_broadcast.go — a sync.Cond in its textbook use: consumers wait in a
// loop that re-checks the condition (`for items == 0 { ready.Wait() }`),
// and the producer adds the items under the lock, then Broadcasts. The
// Cond and its mutex are declared in a var group, the Cond with
// sync.NewCond(&mu).
//
// Expected outcomes (sc and go agree: items and taken are only touched
// while holding mu, and Wait relocks mu before it returns):
//   ok  items=0 taken=2  output "2\n"  serial   (the only outcome: a
//       consumer either finds the items when it first looks, or waits and
//       is woken by the Broadcast, which wakes every waiter)
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
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
	ready.Broadcast()
	wg.Wait()
	fmt.Println(taken)
}
