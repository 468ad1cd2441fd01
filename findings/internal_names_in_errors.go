// FINDING (leaks internal names, low-medium): error messages show the rewrite's names.
//  - x := acct.mu          -> "`#Account.mu[…]` is a sync.Mutex, not a value: use its methods"
//                             (also fmt.Println(acct.Mutex), x := acct.hits)
//  - acct.Deposit()        -> "wrong number of arguments in call to (*Account).Deposit:
//                             expected 2, found 1" (counts include the receiver; user wrote 0
//                             of 1). Go: "not enough arguments in call to acct.Deposit"
//  - acct.balance.Deposit(1) -> "`#Account.balance` is not a channel, sync object or atomic"
//  - expect never acct.Mutex == 0 -> "`#Account.Mutex` is not an array of int or bool"
//  - acct.balance.x        -> "`x` must be called: add `()`" (Go: acct.balance.x undefined
//                             (type int has no field or method x))
// Should: name acct.mu / acct.Deposit, and count the arguments the user wrote.
package main

import (
	"fmt"
	"sync"
)

type Account struct {
	sync.Mutex
	mu      sync.Mutex
	balance int
}

func (a *Account) Deposit(n int) {
	a.balance += n
}

var acct Account

func main() {
	acct.Deposit()
	x := acct.mu
	fmt.Println(x)
}
