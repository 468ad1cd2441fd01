// decl_groups.go — declarations as Go code writes them: `const ( … )` with
// iota and implicit repetition, `_` skipping a value, several names in one
// declaration, and a `var ( … )` group holding a semaphore channel, a
// mutex, a WaitGroup and the variables they guard (GOPL bank2/bank3 style).
//
// Expected outcome (derived by hand): the constants are low=0 mid=1 high=2
// (`_` took iota 0 in the first group, so low = iota-1 = 0), step=10 and
// big=20 (10*(iota+1) repeated), a=3 b=4; p = low+mid = 1, q = high*big =
// 40. The two deposits are serialised by the semaphore (balance) and the
// mutex (x), so every run ends with balance=41 x=41 y=0 and prints
// "41 41 0 7 0 1 2 20".
//   ok  balance=41 x=41 y=0  serial
// Data races: none. Deadlocks: none. Leaks: none.
package main

import (
	"fmt"
	"sync"
)

const (
	_    = iota
	low  = iota - 1
	mid
	high
)

const (
	step = 10 * (iota + 1)
	big
)

const a, b = 3, 4

var (
	sema    = make(chan struct{}, 1) // a binary semaphore guarding balance
	balance int

	mu sync.Mutex // guards x
	wg sync.WaitGroup
)

var x, y int
var p, q = low + mid, high * big

func deposit(n int) {
	sema <- struct{}{}
	balance = balance + n
	<-sema
	mu.Lock()
	x = x + n
	mu.Unlock()
	wg.Done()
}

func main() {
	wg.Add(2)
	go deposit(p)
	go deposit(q)
	wg.Wait()
	fmt.Println(balance, x, y, a+b, low, mid, high, big)
}
