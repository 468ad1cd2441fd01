// recover() returns the panic's value as it was panicked: a message with a
// newline comes back with the newline only (Go indents the later lines of
// a message when it prints a panic, not in the value). A string's +
// between two literals is an operand, not a unary +.
//
// Expected (one goroutine, one outcome): output `true` then `"a\nb"`, then
// the new panic in the deferred call ends the run; Go prints both panics,
// each message's later lines indented with a tab:
//   panic: a
//   	b [recovered]
//   	panic: again: a
//   	b
package main

import "fmt"

func try(msg string) (ok bool) {
	defer func() {
		ok = fmt.Sprint(recover()) == msg
	}()
	panic(msg)
}

func again() {
	defer func() {
		r := recover()
		fmt.Printf("%q\n", fmt.Sprint(r))
		panic(fmt.Sprint("again: ", r))
	}()
	panic("a" + "\n" + "b")
}

func main() {
	fmt.Println(try("one\ntwo"))
	again()
}
