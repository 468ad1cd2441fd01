// spin_wait_atomic.go — main waits for a goroutine by spinning on an atomic
// flag: `for !done.Load() {}`. The goroutine writes data, then stores done;
// the Load that returns true synchronises with that Store, so main's read
// of data happens after the write.
//
// Expected outcomes (derived by hand): main reads data only after done is
// true, so every run prints 42:
//   ok  data=42  done=true  output "42\n"  serial
// The outcome is serial (LANGUAGE.md §9): main, spinning on a flag only
// the goroutine can set, waits as a blocked goroutine would, so the run
// that lets the goroutine run then is a run without preemption. (Before
// the spinning rule it was a race outcome: without preemption main spun
// for ever.)
// Data races: none. Deadlocks: none. Leaks: none. Never-ending runs: none
// (the goroutine can always run and set the flag).
package main

import (
	"fmt"
	"sync/atomic"
)

var data int
var done atomic.Bool

func main() {
	go func() {
		data = 42
		done.Store(true)
	}()
	for !done.Load() {
	}
	fmt.Println(data)
}
