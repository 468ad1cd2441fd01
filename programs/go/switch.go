// switch.go — Go's expression switch, checked as written: a tag, several
// values in one case, default in the middle, a switch with an init
// statement and no tag, fallthrough, and break/continue inside a switch in
// a loop (break leaves the switch, continue the loop's iteration).
// The goroutine's write of x races with main's read in the init statement.
//
// By hand: x read as 0 gives v = 1: no case holds, default sets r = 100
// and breaks; the loop adds 1000 for i = 0 and i = 2 (i = 1 continues,
// i = 2 only breaks the switch): 2100. x read as 1 gives v = 2: r = 1, falls
// through to r = 11 without testing v > 100, then 2011. classify maps 0, 2,
// 3 and 7 to 10, 20, 40 and 30 (7 matches no case: default, though it is
// written before case 3).
//
// Expected outcomes (sc):
//   ok  x=0  output "2100 10 20 40 30\n"  serial
//   ok  x=1  output "2011 10 20 40 30\n"  preemptive
//   ok  x=1  output "2100 10 20 40 30\n"  preemptive
// Data races: x (the goroutine's write, main's read at 44:14).
// Deadlocks: none. Panics: none. Leaks: none. Never-ending runs: none.
package main

import "fmt"

var x int

func classify(n int) int {
	switch n {
	case 0:
		return 10
	case 1, 2:
		return 20
	default:
		return 30
	case 3:
		return 40
	}
}

func main() {
	go func() {
		x = 1
	}()
	r := 0
	switch v := x + 1; {
	case v > 1:
		r = 1
		fallthrough
	case v > 100:
		r = r + 10
	default:
		r = r + 100
		break
	}
	for i := 0; i < 3; i++ {
		switch i {
		case 1:
			continue
		case 2:
			break
		}
		r = r + 1000
	}
	fmt.Println(r, classify(0), classify(2), classify(3), classify(7))
}
