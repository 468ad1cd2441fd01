// struct_array_ring.go — two accounts in an array of structs, each
// goroutine moving 5 to the next account in the ring; each account's
// mutex is held for its own update only, so no deadlock and no race.
// Loop variables are per iteration (Go 1.22), so each goroutine has its
// own i.
//
// Expected outcomes:
//   ok  accts[0].balance=10 accts[1].balance=10 output "20\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

const N = 2

type Account struct {
	mu      sync.Mutex
	balance int
}

var accts [N]Account

func transfer(from, to *Account, n int) {
	from.mu.Lock()
	from.balance -= n
	from.mu.Unlock()
	to.mu.Lock()
	to.balance += n
	to.mu.Unlock()
}

func main() {
	for i := range accts {
		accts[i].balance = 10
	}
	var wg sync.WaitGroup
	for i := 0; i < len(accts); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			transfer(&accts[i], &accts[(i+1)%N], 5)
		}()
	}
	wg.Wait()
	fmt.Println(accts[0].balance + accts[1].balance)
}
