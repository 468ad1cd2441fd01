// FINDING (wrong panic message, low): panic(&a) with a struct pointer reports "panic: 1"
// (the raw instance number + 1). Go prints "panic: (*main.A) 0xc0000180d8" (an address).
// Should: refuse as for channels ("Go prints its address; panic with a string"): fixed on
// this branch for struct and sync pointers (tests/errors/panic_struct_pointer.gr); the same
// holds before this commit for panic(&mu) (sync pointers).
package main

type A struct{ n int }

func main() {
	a := A{n: 1}
	panic(&a)
}
