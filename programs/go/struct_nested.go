// struct_nested.go — a struct value with struct fields: a segment of two
// points, made in a goroutine, changed, sent by value and taken apart in
// main (s.to.y), with a value-receiver method reading the nested fields
// and fmt.Println printing it as Go does.
//
// Expected outcome (one: the goroutine's send and main's receive meet):
//   ok  output "{{0 0} {3 4} b} 25 4 false\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type point struct{ x, y int }

type segment struct {
	from, to point
	label    string
}

func (s segment) length2() int {
	dx, dy := s.to.x-s.from.x, s.to.y-s.from.y
	return dx*dx + dy*dy
}

func main() {
	ch := make(chan segment, 1)
	go func() {
		seg := segment{from: point{0, 0}, to: point{3, 4}, label: "a"}
		seg.label = "b"
		ch <- seg
	}()
	s := <-ch
	fmt.Println(s, s.length2(), s.to.y, s == (segment{}))
}
