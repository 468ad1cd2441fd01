// sprintf_args.go — strings handed around: a Sprintf result as a
// goroutine's argument (the witness shows `go worker("w0", 0)`), a
// deferred Printf with a constant format whose arguments are evaluated at
// the `defer` (the later `n = -1` changes nothing), and `+=` on a string.
//
// Expected outcomes (no shared variable: sc and go agree):
//   main joins the names in the order it started the workers, whatever
//   order they end in; the two workers' lines come in either order:
//     ok serial  output="w0 done (0)\nw1 done (1)\nstarted: w0 w1\n"
//     ok serial  output="w1 done (1)\nw0 done (0)\nstarted: w0 w1\n"
//   (main blocks in Wait, then either worker runs to its end first.)
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

const format = "%s done (%d)\n"

var wg sync.WaitGroup

func worker(name string, n int) {
	defer wg.Done()
	defer fmt.Printf(format, name, n)
	n = -1
}

func main() {
	started := "started:"
	wg.Add(2)
	for i := 0; i < 2; i++ {
		name := fmt.Sprintf("w%d", i)
		go worker(name, i)
		started += " " + name
	}
	wg.Wait()
	fmt.Println(started)
}
