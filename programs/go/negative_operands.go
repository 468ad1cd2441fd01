// Comparisons and subtractions with a negative operand written after a
// space: Go reads `n < -5` as a comparison (the `<-` token exists only
// when the two characters touch) and `x - -1` as a subtraction.
//
// Expected (one goroutine, one outcome): `true 4 -2` then `false`.
package main

import "fmt"

func main() {
	n := -7
	x := 3
	fmt.Println(n < -5, x - -1, x % -5 - 5 + 4 * - -1 - 4 + 0*x)
	fmt.Println(n > - -5)
}
