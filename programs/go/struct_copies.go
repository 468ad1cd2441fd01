// struct_copies.go — struct variables initialized from values that are
// not literals (a receive, another struct), and fields set on a struct
// value received from a channel, as workers do (j := <-jobs; j.b *= 10).
// Each is a copy: changing it leaves the original as it was.
//
// Expected outcome (one):
//   ok  t.n=1 t.name="a" c.a=1 c.b=2 c2.a=9 c2.b=2  output "{1 a} {9 2} {1 2}\n{2 20}\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type T struct {
	n    int
	name string
}

type cfg struct{ a, b int }

func main() {
	ch := make(chan T)
	go func() { ch <- T{n: 1, name: "a"} }()
	var t T = <-ch
	c := cfg{1, 2}
	var c2 cfg = c
	c2.a = 9
	fmt.Println(t, c2, c)
	jobs := make(chan cfg, 1)
	jobs <- c
	j := <-jobs
	j.b *= 10
	j.a++
	fmt.Println(j)
}
