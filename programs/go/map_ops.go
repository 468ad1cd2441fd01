// map_ops.go — the map operations in one run: a word counter. A goroutine
// sends words on a channel; main counts them in a map made in its body
// (`counts[w]++`), then deletes one, looks keys up with comma-ok, and sums
// the counts with `range` (a sum, which does not depend on the order Go
// gives), and prints the map as fmt does, in key order. A nil map reads
// as empty. One goroutine touches the map, so
// there is no race and one outcome.
//
// Expected outcomes (the map in key order):
//   ok  none=map[] counts=map[a:2 c:1]
//       output "3 1 true false 0 false 3 2\nmap[a:2 c:1] map[]\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

var none map[string]int

func main() {
	words := make(chan string)
	go func() {
		words <- "a"
		words <- "b"
		words <- "a"
		words <- "c"
		close(words)
	}()
	counts := make(map[string]int)
	for w := range words {
		counts[w]++
	}
	n := len(counts)
	delete(counts, "b")
	b, okb := counts["b"]
	c, okc := counts["c"]
	sum := 0
	for _, v := range counts {
		sum += v
	}
	fmt.Println(n, c, okc, okb, b, none["x"] != 0, sum, len(counts))
	fmt.Println(counts, none)
}
