// philosophers_defer.go — three dining philosophers who take their forks
// in a global order (the lower-numbered fork first) and put them back with
// `defer forks[low].Unlock()`. The fork a deferred Unlock releases is
// chosen at the `defer` statement: low and high are overwritten with -1
// afterwards, and the deferred calls still unlock the forks that were
// locked (an index of -1 would panic). `defer wg.Done()` runs last, after
// both forks are back.
//
// Expected outcomes (sc and go: race-free; each philosopher writes only
// its own element of meals), globals meals:
//   ok  meals=[1 1 1]  output "3 meals\n"  serial  (the only outcome: the
//       global fork order rules out the deadlock of the naive version)
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

var forks [3]sync.Mutex
var meals [3]int
var wg sync.WaitGroup

func philosopher(id int) {
	defer wg.Done()
	low := id
	high := (id + 1) % 3
	if high < low {
		low = high
		high = id
	}
	forks[low].Lock()
	defer forks[low].Unlock()
	forks[high].Lock()
	defer forks[high].Unlock()
	low = -1
	high = -1
	meals[id] = meals[id] + 1
}

func main() {
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go philosopher(i)
	}
	wg.Wait()
	fmt.Println(meals[0]+meals[1]+meals[2], "meals")
}
