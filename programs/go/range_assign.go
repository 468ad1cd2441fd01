// range_assign.go — `range` assigning existing variables with `=`, as Go
// allows: each iteration starts by assigning them, so after the loop they
// hold the last values (a closed channel or the end of the range assigns
// nothing more). Any place that can be assigned can be a target (a local,
// a struct's field, an array element); `_` is not assigned, so
// `for _ = range ch` is `for range ch`.
//
// Expected outcome (one goroutine: every model agrees):
//   ok  a.last=6  m=map[a:1]  output "2 6\n2\n6\n0 2\na 1\n5\n8\n3 2\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import "fmt"

type acc struct {
	last int
}

func main() {
	xs := []int{4, 5, 6}
	var i, v int
	for i, v = range xs {
	}
	fmt.Println(i, v)
	var k int
	for k = range 3 {
	}
	fmt.Println(k)
	var a acc
	for _, a.last = range xs {
	}
	fmt.Println(a.last)
	var arr [2]int
	for arr[1] = range 4 {
		if arr[1] == 2 {
			break
		}
	}
	fmt.Println(arr[0], arr[1])
	m := map[string]int{"a": 1}
	var mk string
	var mv int
	for mk, mv = range m {
	}
	fmt.Println(mk, mv)
	for _ = range xs {
		k++
	}
	fmt.Println(k)
	for _, _ = range xs {
		k++
	}
	fmt.Println(k)
	jobs := make(chan int, 3)
	jobs <- 1
	jobs <- 2
	close(jobs)
	n, j := 0, 0
	for j = range jobs {
		n++
	}
	for _ = range jobs {
		n++
	}
	fmt.Println(n+1, j)
}
