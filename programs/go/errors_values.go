// errors_values.go — what grace does with an error value: a function's
// `(int, error)` results, `if v, err := get(3); err != nil`, printing one
// with fmt (Println, Print's spacing — an error is not a string operand —,
// %v, %s and a precision), `err.Error()`, a nil error (`<nil>`), a
// `chan<- error`, and `Error()` on a nil error, which panics as in Go
// (recovered here: `runtime error: invalid memory address or nil pointer
// dereference`).
//
// Expected outcomes: the two workers' errors arrive in either order:
//   ok  output "value: 30\nerror: negative negative\n<nil>\nnegative\nk=5: negative|k=5: negative|  k=5|\n<nil> 1sk=5: negative 2\n13 true true\nrecovered: runtime error: invalid memory address or nil pointer dereference\n"  serial
//   ok  (the same with "negative\n<nil>\n" in the workers' lines)  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"errors"
	"fmt"
)

func get(k int) (int, error) {
	if k < 0 {
		return 0, errors.New("negative")
	}
	return k * 10, nil
}

func worker(k int, out chan<- error) {
	_, err := get(k)
	out <- err
}

func main() {
	if v, err := get(3); err != nil {
		fmt.Println("error:", err)
	} else {
		fmt.Println("value:", v)
	}
	_, err := get(-1)
	if err != nil {
		fmt.Println("error:", err, err.Error())
	}
	errs := make(chan error)
	go worker(1, errs)
	go worker(-2, errs)
	for i := 0; i < 2; i++ {
		fmt.Println(<-errs)
	}
	e := fmt.Errorf("k=%d: %v", 5, err)
	fmt.Printf("%v|%s|%5.3s|\n", e, e, e)
	var none error
	fmt.Print(none, 1, "s", e, 2, "\n")
	fmt.Println(len(e.Error()), none == nil, e != nil)
	defer func() {
		fmt.Println("recovered:", recover())
	}()
	fmt.Println(none.Error())
}
