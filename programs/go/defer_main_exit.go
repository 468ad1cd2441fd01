// defer_main_exit.go — main's deferred calls run when main returns,
// before the program exits (LANGUAGE.md §7: main's return is a step of its
// own, taken after its deferred calls), and a goroutine may still print
// before or after them, or not at all.
//
// Expected outcomes (one shared thing, the output: sc and go agree):
//   ok  output "main's deferred call\n"            serial
//   ok  output "goroutine\nmain's deferred call\n" preemptive
//   ok  output "main's deferred call\ngoroutine\n" preemptive (between
//       main's deferred print and its exit)
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	defer fmt.Println("main's deferred call")
	go func() {
		fmt.Println("goroutine")
	}()
}
