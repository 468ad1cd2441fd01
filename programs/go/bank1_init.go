// bank1_init.go — GOPL §9.1's bank1 as in the book: the teller goroutine is
// started by `func init`, which Go runs before main; main deposits from two
// goroutines and reads the balance through the teller.
//
// Expected outcomes (derived by hand): the teller owns the balance, so every
// run prints 300 (both deposits are received before main's Balance, which
// waits for them with the WaitGroup):
//   ok  output "300\n"  serial
// Data races: none. Deadlocks: none (the teller is running: init started
// it). Leaks: the teller, blocked in its select when main returns (as in
// the book, where it serves forever), in every run.
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
	go teller() // start the monitor goroutine
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
