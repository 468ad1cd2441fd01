// A program a generator found comparing grace with go run (g33), kept as
// it was found: under tso it listed an outcome the go model does not
// (a write buffered past a print; prints are fences now), and it still
// shows a limit of the reductions under tso (tests/integration/snapshots.rs,
// `reduced_witnesses_keep_their_preemptions_after_a_late_flush`).
package main

import (
	"fmt"
	"sync"
)

type Job struct {
	a int
	b int
}

var mu sync.Mutex

func main() {
	c0 := make(chan *Job, 0)
	c1 := make(chan *Job, 1)
	done := make(chan bool, 4)
	go func() {
		for i := 0; i < 1; i++ {
			var x *Job
			select {
			case x = <-c0:
			}
			mu.Lock()
			fmt.Println(x.b)
			mu.Unlock()
			x.b = x.a * 2
			fmt.Println("x", x.b)
		}
		done <- true
	}()
	go func() {
		for i := 0; i < 1; i++ {
			var x *Job
			select {
			case x = <-c1:
			}
			fmt.Println("x", x.b)
			mu.Lock()
			fmt.Println(x.b)
			mu.Unlock()
		}
		done <- true
	}()
	j0 := &Job{a: 1}
	c0 <- j0
	mu.Lock()
	fmt.Println(j0.b)
	mu.Unlock()
	mu.Lock()
	j0.b++
	mu.Unlock()
	<-done
	<-done
	fmt.Println(j0.a, j0.b)
}
