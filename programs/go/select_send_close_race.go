// select_send_close_race.go — a send that may not happen still reads its
// channel for Go's race detector: a `select` polls its send case (taken, or
// not ready so `default` runs), and a close that nothing orders with it is
// a data race even in the runs where nothing is sent. When the close comes
// first, the send case is ready and panics.
//
// Expected outcomes:
//   ok  output "recovered: <nil>\n"                     (sent, or default)
//   ok  output "recovered: send on closed channel\n"    (the close came first)
// Data races: ch, the select's send case at 26:8 and the close at 30:2
// (go run -race reports the same pair). Deadlocks, leaks, never-ending
// runs: none.
package main

import "fmt"

func main() {
	ch := make(chan int)
	done := make(chan bool)
	go func() {
		defer func() {
			fmt.Println("recovered:", recover())
			done <- true
		}()
		select {
		case ch <- 1:
		default:
		}
	}()
	close(ch)
	<-done
}
