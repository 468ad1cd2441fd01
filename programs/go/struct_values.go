// struct_values.go — structs as values, as Go copies them: a parameter is
// a copy (move changes its own), a value-receiver method gets a copy,
// == compares every field, the zero value has every field zero, and
// fmt.Println prints `{x y name}`. Two goroutines each send a moved copy.
//
// Expected outcomes: the two points arrive in either order; main prints
// the sum of their x (0+10 + 1+10 = 21), their names joined, and the
// first one's sum (x + y: 11 for goroutine 0's, 12 for goroutine 1's),
// then the zero value and a literal (main's `zero`, declared where main's
// code runs once, is a struct variable: its fields are listed):
//   ok  zero.x=0 zero.y=0 zero.name=""  output "21 pp 11\n{0 0 } {1 2 q}\n"  serial
//   ok  zero.x=0 zero.y=0 zero.name=""  output "21 pp 12\n{0 0 } {1 2 q}\n"  serial
// Data races, deadlocks, panics, leaks: none.
package main

import "fmt"

type point struct {
	x, y int
	name string
}

func move(p point, dx int) point {
	p.x += dx
	p.y++
	return p
}

func (p point) sum() int { return p.x + p.y }

func main() {
	ch := make(chan point, 2)
	done := make(chan bool)
	for i := 0; i < 2; i++ {
		go func(i int) {
			p := point{x: i, name: "p"}
			q := move(p, 10)
			if q == p || p.x != i {
				panic("a copy changed the original")
			}
			var z point
			if z == (point{}) {
				ch <- q
			}
			done <- q.sum() > 0
		}(i)
	}
	<-done
	<-done
	a := <-ch
	b := <-ch
	fmt.Println(a.x+b.x, a.name+b.name, a.sum())
	var zero point
	fmt.Println(zero, point{1, 2, "q"})
}
