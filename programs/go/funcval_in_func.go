// funcval_in_func.go — a func variable in a function other than main, with
// named results: `one`'s `return 1` gives its own result, not report's
// `r`, which no statement assigns, so the goroutine's literal may use `r`
// (its value, 0, as Go's closure sees it).
//
// Expected outcomes:
//   ok  output "0\n1\n0\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

func report() (r int) {
	one := func() int { return 1 }
	done := make(chan bool)
	go func() {
		fmt.Println(r)
		done <- true
	}()
	<-done
	fmt.Println(one())
	return
}

func main() {
	fmt.Println(report())
}
