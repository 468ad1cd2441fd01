// account_struct_racy.go — account_struct.go with the lock left out of
// Deposit: the two deposits' read-modify-writes of acct.balance may
// interleave and one is lost. The race is reported on the field,
// acct.balance, and the account is a top-level variable this time.
//
// Expected outcomes (100 to start, deposits of 100 and 200):
//   ok  acct.balance=400 output "400\n"  serial
//   ok  acct.balance=200 output "200\n"  preemptive
//   ok  acct.balance=300 output "300\n"  preemptive
// Data races: acct.balance, read/write and write/write at 27:2.
// Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	sync.Mutex
	balance int
}

var acct = Account{balance: 100}

func (a *Account) Deposit(n int) {
	a.balance += n
}

func (a *Account) Balance() int {
	a.Lock()
	defer a.Unlock()
	return a.balance
}

func main() {
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
