// struct_transfer_deadlock.go — an array of accounts, each a struct with
// its own mutex, and a transfer that holds both accounts' locks, taking
// them in argument order: two opposite transfers can each hold one lock
// and wait for the other (the classic lock-ordering deadlock).
//
// Expected outcomes:
//   ok  accts[0].balance=8 accts[1].balance=12 output "20\n"  serial
//   deadlock  accts[0].balance=10 accts[1].balance=10  preemptive
//     (each transfer holds one lock and waits for the other; main waits
//     at wg.Wait)
// Data races, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	balance int
}

var accts [2]Account

func transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func main() {
	for i := range accts {
		accts[i].balance = 10
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		transfer(&accts[0], &accts[1], 5)
	}()
	go func() {
		defer wg.Done()
		transfer(&accts[1], &accts[0], 3)
	}()
	wg.Wait()
	fmt.Println(accts[0].balance + accts[1].balance)
}
