// reply_close_race.go — a channel per request, closed too early: each
// round makes its own channel (one `make` in a loop: a pool of channels),
// starts a goroutine that sends on it, and closes it at once instead of
// after receiving. Every round's send races with that round's close; the
// rounds' channels are distinct, so a send never races with another
// round's close. The race is one entry (the channels of one `make` are one
// variable for reports, as Go's race detector names them by place).
//
// Expected outcomes:
//   ok  output "0 panics\n"  (both sends came before their closes)
//   ok  output "1 panics\n"
//   ok  output "2 panics\n"
// Data races: reply, the send at 38:4 and the close at 40:3 (go run -race
// reports the same pair). Deadlocks, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	panics := 0
	for i := 0; i < 2; i++ {
		reply := make(chan int, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if recover() != nil {
					mu.Lock()
					panics++
					mu.Unlock()
				}
			}()
			reply <- i
		}()
		close(reply)
	}
	wg.Wait()
	fmt.Println(panics, "panics")
}
