// send_close_race.go — a send and a close that nothing orders. Go's race
// detector sees a send read the channel and close write it, so this is a
// data race whichever comes first; and when the close comes first the send
// panics ("send on closed channel"), here recovered by the sender.
//
// Expected outcomes:
//   ok  output ""                                       (the send came first)
//   ok  output "recovered: send on closed channel\n"    (the close came first)
// Data races: ch, the send at 25:3 and the close at 27:2 (go run -race
// reports the same pair). Deadlocks, leaks, never-ending runs: none.
package main

import "fmt"

func main() {
	ch := make(chan int, 1)
	done := make(chan bool)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Println("recovered:", r)
			}
			done <- true
		}()
		ch <- 1
	}()
	close(ch)
	<-done
}
