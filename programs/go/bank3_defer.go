// bank3_defer.go — GOPL §9.2's bank3: every access to balance holds mu,
// and each function releases it with `defer mu.Unlock()`, the idiom of
// nearly every Go program that locks. Balance's `return balance` reads
// balance before its deferred Unlock runs, so it still holds the lock.
// Two depositors run as goroutines that signal with `defer wg.Done()`.
//
// Expected outcomes (sc and go: the program is race-free, so they agree),
// globals balance:
//   ok  balance=300  output "300\n"  serial   (the only outcome: each
//       deposit is a read and a write under mu, and Wait sees both Dones)
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var mu sync.Mutex // guards balance
var balance int
var wg sync.WaitGroup

func Deposit(amount int) {
	mu.Lock()
	defer mu.Unlock()
	balance = balance + amount
}

func Balance() int {
	mu.Lock()
	defer mu.Unlock()
	return balance
}

func main() {
	wg.Add(2)
	go func(amount int) {
		defer wg.Done()
		Deposit(amount)
	}(200)
	go func(amount int) {
		defer wg.Done()
		Deposit(amount)
	}(100)
	wg.Wait()
	fmt.Println(Balance())
}
