// printf.go — fmt.Printf, fmt.Print and fmt.Println print what Go prints:
// the verbs a learner uses (%d %v %t %s %q %x %X %c %%), widths and the
// flags - + 0, and Print's rule for spaces (one between two operands only
// when neither is a string). Each goroutine prints its line in one step,
// so the two report lines come out in either order.
//
// Expected outcomes (sc and go agree: the program has no shared variable):
//   ok  serial  output, report(1) first:
//     [   42|42   |00042|+42|-42]
//     [ff|FF|0xff|-1a|true|false]
//     ["a\"b"|A|x|  abc|abc  |%]
//     a1 2b true false
//     x = 42, ok = true
//     report 1: 7 items (  7%)
//     report 2: 99 items ( 99%)
//     done
//   ok  serial  output: the same with the two report lines swapped
//   (both are serial: main blocks in Wait, and then either goroutine may
//   run first, each to its end).
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var wg sync.WaitGroup

func report(id int, items int) {
	defer wg.Done()
	fmt.Printf("report %d: %d items (%3d%%)\n", id, items, items)
}

func main() {
	n := 42
	fmt.Printf("[%5d|%-5d|%05d|%+d|%d]\n", n, n, n, n, -n)
	fmt.Printf("[%x|%X|%#x|%x|%t|%v]\n", 255, 255, 255, -26, true, false)
	fmt.Printf("[%q|%c|%c|%5s|%-5s|%%]\n", "a\"b", 65, 120, "abc", "abc")
	fmt.Print("a", 1, 2, "b ", true, false, "\n")
	fmt.Println("x =", fmt.Sprint(n)+",", "ok =", n == 42)
	wg.Add(2)
	go report(1, 7)
	go report(2, 99)
	wg.Wait()
	fmt.Println("done")
}
