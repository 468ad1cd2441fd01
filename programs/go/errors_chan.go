// errors_chan.go — errors as values: a function returns `(int, error)`,
// `errors.New` and `fmt.Errorf` make them, `if err != nil` tests them, and
// workers send theirs on a `chan error` for main to report. An error is nil
// or its message; grace compares one only with nil.
//
// Expected outcomes: the two workers' results arrive in either order; the
// total is the one good key's value:
//   ok  total=30  output "ok\nerror: fetch -1: negative key (22 bytes)\ntotal: 30\n"  serial
//   ok  total=30  output "error: fetch -1: negative key (22 bytes)\nok\ntotal: 30\n"  serial
// Data races, deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"errors"
	"fmt"
	"sync"
)

const errNegative = "negative key"

func fetch(k int) (int, error) {
	if k < 0 {
		return 0, fmt.Errorf("fetch %d: %v", k, errors.New(errNegative))
	}
	return k * 10, nil
}

func main() {
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, k := range []int{3, -1} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := fetch(k)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			total += v
			mu.Unlock()
			errs <- nil
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			fmt.Printf("error: %v (%d bytes)\n", err, len(err.Error()))
		} else {
			fmt.Println("ok")
		}
	}
	fmt.Println("total:", total)
}
