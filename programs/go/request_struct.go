// request_struct.go — a teller goroutine owns the balance; each customer
// sends a request struct carrying its amount and its own reply channel
// (the request/reply pattern of Effective Go and GOPL §9.7). No lock: only
// the teller touches the balance, so there is no data race, only two
// orders of service.
//
// Expected outcomes: alice (+50) served first sees 150 and bob (-30) then
// sees 120; bob served first sees 70 and alice then 120. Main prints the
// two lines in the order the customers report back, which need not be the
// order they were served (a customer reports after its reply, and the
// other may be served and report in between); every order is reachable
// without preemption, as each goroutine blocks at a send or receive:
//   ok  output "alice sees 150\nbob sees 120\n"  serial
//   ok  output "bob sees 120\nalice sees 150\n"  serial (alice served, bob served and reports)
//   ok  output "bob sees 70\nalice sees 120\n"   serial
//   ok  output "alice sees 120\nbob sees 70\n"   serial (the same, the other way)
// Data races, deadlocks, panics, leaks: none (main closes the requests:
// the teller's range ends).
package main

import "fmt"

type request struct {
	who   string
	delta int
	reply chan int
}

func teller(reqs <-chan request) {
	balance := 100
	for r := range reqs {
		balance += r.delta
		r.reply <- balance
	}
}

func customer(who string, delta int, reqs chan<- request, done chan<- string) {
	reply := make(chan int)
	reqs <- request{who: who, delta: delta, reply: reply}
	done <- fmt.Sprint(who, " sees ", <-reply)
}

func main() {
	reqs := make(chan request)
	done := make(chan string)
	go teller(reqs)
	go customer("alice", 50, reqs, done)
	go customer("bob", -30, reqs, done)
	first, second := <-done, <-done
	fmt.Println(first)
	fmt.Println(second)
	close(reqs)
}
