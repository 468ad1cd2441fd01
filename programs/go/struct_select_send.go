// struct_select_send.go — a struct literal sent in a select case, a field
// changed with op= on a received copy, and a struct variable's string
// field grown with += (each += reads the field, then writes it).
//
// Expected outcome (one):
//   ok  l.text="ab"  output "{11 2} ab\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import (
	"fmt"
	"sync"
)

type pt struct{ x, y int }

type Log struct {
	mu   sync.Mutex
	text string
}

func main() {
	ch := make(chan pt, 1)
	select {
	case ch <- pt{1, 2}:
	default:
	}
	p := <-ch
	p.x += 10
	var l Log
	l.text += "a"
	l.text += "b"
	fmt.Println(p, l.text)
}
