// bank2.go — GOPL §9.2's bank2: a channel of capacity 1 as a binary
// semaphore guarding balance, declared in a var group as the book does.
// Deposit and Balance are the book's; main calls them from goroutines: two
// deposits and a reader, then main's own Balance after all three.
//
// Expected outcomes (sc and go agree: every access to balance holds the
// token, so the program is race-free), globals balance=300:
//   ok  output "seen: 0\nfinal: 300\n"    serial   (the reader first)
//   ok  output "seen: 100\nfinal: 300\n"  serial   (after Deposit(100))
//   ok  output "seen: 200\nfinal: 300\n"  serial   (after Deposit(200))
//   ok  output "seen: 300\nfinal: 300\n"  serial   (after both)
// Each is a run without preemption: the token makes Deposit and Balance
// atomic, so the reader sees a sum of the deposits before it.
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var (
	sema    = make(chan struct{}, 1) // a binary semaphore guarding balance
	balance int
)

func Deposit(amount int) {
	sema <- struct{}{} // acquire token
	balance = balance + amount
	<-sema // release token
}

func Balance() int {
	sema <- struct{}{} // acquire token
	b := balance
	<-sema // release token
	return b
}

var wg sync.WaitGroup

func main() {
	wg.Add(3)
	go func() {
		defer wg.Done()
		Deposit(200)
	}()
	go func() {
		defer wg.Done()
		Deposit(100)
	}()
	go func() {
		defer wg.Done()
		fmt.Println("seen:", Balance())
	}()
	wg.Wait()
	fmt.Println("final:", Balance())
}
