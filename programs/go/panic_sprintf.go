// panic_sprintf.go — panic(fmt.Sprintf(…)): the message is built when the
// run gets there, from the goroutine's own values. Two withdrawals check
// the balance and then withdraw in two critical sections (check-then-act):
// both checks can pass before either withdraws, and the second withdrawal
// then takes the balance below zero and panics, naming who did it.
//
// Expected outcomes (race-free, every access is under mu: sc and go agree):
//   ok     serial      balance=30   output="balance 30\n"   (alice, then bob's check fails)
//   ok     serial      balance=50   output="balance 50\n"   (bob, then alice's check fails)
//   panic  preemptive  balance=-20  "alice overdrew the account: balance -20"
//   panic  preemptive  balance=-20  "bob overdrew the account: balance -20"
//   (both checks pass, then the second to withdraw panics: a preemption
//   between a goroutine's check and its withdrawal is needed). The panic
//   ends the run before main is released from Wait, so it prints nothing.
// Data races, deadlocks, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var (
	balance = 100
	mu      sync.Mutex
	wg      sync.WaitGroup
)

func withdraw(who string, amount int) {
	mu.Lock()
	ok := balance >= amount
	mu.Unlock()
	if ok {
		mu.Lock()
		balance -= amount
		b := balance
		mu.Unlock()
		if b < 0 {
			panic(fmt.Sprintf("%s overdrew the account: balance %d", who, b))
		}
	}
	wg.Done()
}

func main() {
	wg.Add(2)
	go withdraw("alice", 70)
	go withdraw("bob", 50)
	wg.Wait()
	fmt.Println("balance", balance)
}
