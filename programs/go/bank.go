// bank.go — a plain Go file, checked as it is: GOPL §9.1's bank with the
// deposits in goroutines and a WaitGroup, no assert or expect. It compiles
// and runs with `go run`; grace shows that it can print 100 or 200 as well
// as 300 (lost updates), and reports the data race on balance.
// time.Sleep is accepted and orders nothing, which is the lesson of main's
// "wait a little" — the WaitGroup is what makes main see both deposits.
package main

import (
	"fmt"
	"sync"
	"time"
)

var balance int
var wg sync.WaitGroup

func deposit(amount int) {
	balance = balance + amount
	wg.Done()
}

func main() {
	wg.Add(2)
	go deposit(200)
	go deposit(100)
	time.Sleep(10 * time.Millisecond)
	wg.Wait()
	fmt.Println(balance)
}
