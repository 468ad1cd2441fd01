// FINDING (confusing report, medium): two struct variables with the same name (a top-level
// acct and a local acct in main) give two instances both named "acct": the outcome reads
// "acct.n=105 acct.n=8", and the JSON globals object has the key "acct.n" twice (a JSON
// reader keeps one: {"acct.n": 8}). Go: prints 105 for the top-level one.
// Should: name a second instance by its position, as local sync objects are (acct@20:3).
// Natural case: `c := Cfg{…}` in init and `var c Cfg` in a function called once: both
// "c.n", "c.on" (outcome "c.n=3 c.on=true c.n=13 c.on=false", JSON {"c.n": 13, ...}).
package main

import (
	"fmt"
)

type A struct {
	n int
}

var acct = A{n: 5}

func get(acct *A) int { return acct.n }

func f(acct int) int { return acct + 1 }

func main() {
	fmt.Println(get(&acct), f(acct.n))
	{
		acct := A{n: 7}
		fmt.Println(acct.n, get(&acct))
		acct.n++
	}
	for acct := range 2 {
		fmt.Println(acct)
	}
	ch := make(chan int, 1)
	ch <- 4
	select {
	case acct := <-ch:
		fmt.Println(acct + 1)
	}
	go func(acct int) {
		fmt.Println(acct)
	}(9)
	switch acct := 3; acct {
	case 3:
		fmt.Println("three")
	}
	if acct := 11; acct > 10 {
		fmt.Println(acct)
	} else {
		fmt.Println(acct)
	}
	acct.n += 100
	fmt.Println(acct.n)
}
