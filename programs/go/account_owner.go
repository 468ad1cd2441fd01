// account_owner.go — a struct with a string field next to its mutex: the
// deposit sets the owner under the lock, a rename forgets the lock. A
// string field is a shared variable like any other field: the two writes
// race, and either can be the last.
//
// Expected outcomes (the owner is whichever write came last):
//   ok  acct.owner="alice" acct.balance=150  output "alice 150\n"  serial
//   ok  acct.owner="bob"   acct.balance=150  output "bob 150\n"    serial
// Data race: on acct.owner, the deposit's write (28:2) and the rename's
// (37:31), not ordered by the lock, which the rename does not take.
// Deadlocks, panics, leaks: none.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	owner   string
	balance int
}

func (a *Account) Deposit(who string, n int) {
	a.mu.Lock()
	a.balance += n
	a.owner = who
	a.mu.Unlock()
}

func main() {
	acct := &Account{owner: "bank", balance: 100}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); acct.Deposit("alice", 50) }()
	go func() { defer wg.Done(); acct.owner = "bob" }()
	wg.Wait()
	fmt.Println(acct.owner, acct.balance)
}
