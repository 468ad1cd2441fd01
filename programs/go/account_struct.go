// account_struct.go — a bank account as Go code usually writes it: a
// struct with an embedded sync.Mutex and methods with pointer receivers.
// Two goroutines deposit into the same account, created in main with
// &Account{…}; each deposit holds the account's lock.
//
// Expected outcomes:
//   ok  acct.balance=400 output "400\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	sync.Mutex
	balance int
}

func (a *Account) Deposit(n int) {
	a.Lock()
	defer a.Unlock()
	a.balance += n
}

func (a *Account) Balance() int {
	a.Lock()
	defer a.Unlock()
	return a.balance
}

func main() {
	acct := &Account{balance: 100}
	var wg sync.WaitGroup
	for i := 1; i <= 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acct.Deposit(100 * i)
		}()
	}
	wg.Wait()
	fmt.Println(acct.Balance())
}
