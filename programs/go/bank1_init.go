// bank1_init.go — GOPL §9.1's bank1 as in the book: the teller goroutine is
// started by `func init`, which Go runs before main; main deposits from two
// goroutines and reads the balance through the teller.
//
// Expected outcomes (derived by hand): the teller owns the balance, so every
// run prints 300 (both deposits are received before main's Balance, which
// waits for them with the WaitGroup):
//   ok  output "300\n"  serial
// Data races: none. Deadlocks: none (the teller is running: init started
// it). Leaks: none. The teller is still blocked in its select when main
// returns, in every run; as in the book, it is a server meant to run until
// the program ends, which the `// grace:daemon` comment on its `go`
// statement declares, so it is not a leak (without the comment it is one:
// bank_monitor_gopl.gr).
package main

import (
	"fmt"
	"sync"
)

var deposits = make(chan int) // send amount to deposit
var balances = make(chan int) // receive balance

func Deposit(amount int) { deposits <- amount }
func Balance() int       { return <-balances }

func teller() {
	var balance int // balance is confined to teller goroutine
	for {
		select {
		case amount := <-deposits:
			balance += amount
		case balances <- balance:
		}
	}
}

func init() {
	go teller() // grace:daemon (the monitor goroutine serves until the program ends)
}

var wg sync.WaitGroup

func main() {
	wg.Add(2)
	go func() { // Alice
		Deposit(200)
		wg.Done()
	}()
	go func() { // Bob
		Deposit(100)
		wg.Done()
	}()
	wg.Wait()
	fmt.Println(Balance())
}
