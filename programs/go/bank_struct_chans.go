// bank_struct_chans.go — GOPL's bank1 (ch. 9.1) as a struct: the
// channels are fields of a Bank that a constructor makes, and its teller
// goroutine, started there, owns the balance (confinement). Two
// depositors never race: the balance is only ever touched by the teller.
//
// Expected outcomes (the teller serves the two deposits in either order;
// the balance is read after both):
//   ok  output "300\n"  serial
// Data races, deadlocks, panics: none. The teller runs for ever, as in
// the book: its `go` is marked `grace:daemon`, so it is not a leak.
package main

import "fmt"

type Bank struct {
	deposits chan int
	balances chan int
}

func NewBank() *Bank {
	b := &Bank{deposits: make(chan int), balances: make(chan int)}
	go b.teller() // grace:daemon (the teller serves until the program ends)
	return b
}

func (b *Bank) teller() {
	balance := 0
	for {
		select {
		case amount := <-b.deposits:
			balance += amount
		case b.balances <- balance:
		}
	}
}

func (b *Bank) Deposit(n int) { b.deposits <- n }
func (b *Bank) Balance() int  { return <-b.balances }

func main() {
	bank := NewBank()
	done := make(chan bool)
	go func() {
		bank.Deposit(200)
		done <- true
	}()
	bank.Deposit(100)
	<-done
	fmt.Println(bank.Balance())
}
