// strings.go — strings as values where printing and constants need them:
// string constants (alone and in a group), locals (`msg := "…"`, `var s
// string`, a Sprintf result), string parameters and results, `+`, `+=`,
// `==`, `!=` and a switch on a string. Two workers add to a counter under a
// mutex and each prints its own line, built with Sprintf from its name.
//
// Expected outcomes (race-free: sc and go agree), count=15 in all. The
// lock order decides the counts (alice first: alice 5, bob 15; bob first:
// bob 10, alice 15), and the lines are printed after the unlocks, in
// either order. Each output starts with "greeting: hello, gopher" and
// "empty: [] true" and ends with "total 15 (two workers)"; the worker
// lines are `%-6s` padded ("alice  +5 -> count 05"):
//   ok serial      alice 05, then bob 15
//   ok serial      bob 10, then alice 15
//   ok preemptive  bob 10 printed after alice 15 (bob locked first, then
//                  was preempted between Unlock and its print)
//   ok preemptive  alice 05 printed after bob 15 (the same, alice first)
// Serial runs take each worker to its end (neither blocks once it holds
// the lock), so a worker prints before the other one locks.
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

const greeting = "hello"

const (
	who    = "gopher"
	suffix = " workers)"
)

var (
	mu    sync.Mutex
	wg    sync.WaitGroup
	count int
)

func line(name string, n int, c int) string {
	return fmt.Sprintf("%-6s +%d -> count %02d", name, n, c)
}

func worker(name string, n int) {
	defer wg.Done()
	mu.Lock()
	count += n
	c := count
	mu.Unlock()
	msg := line(name, n, c)
	fmt.Println(msg)
}

func plural(n int) string {
	switch n {
	case 1:
		return "one"
	case 2:
		return "two"
	}
	return "many"
}

func main() {
	hello := greeting + ", "
	hello += who
	fmt.Println("greeting:", hello)
	var empty string
	fmt.Printf("empty: [%s] %t\n", empty, empty == "" && hello != greeting)
	wg.Add(2)
	go worker("alice", 5)
	go worker("bob", 10)
	wg.Wait()
	total := fmt.Sprintf("total %d", count)
	switch total {
	case "total 15":
		fmt.Println(total, "("+plural(2)+suffix)
	default:
		panic("unexpected " + total)
	}
}
