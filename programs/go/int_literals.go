// int_literals.go — Go's integer literal forms: hex (0x), octal (0o, and
// a leading 0 as in Go: 0755 is 493, not 755), binary (0b), and `_`
// between digits. A goroutine adds a mask to a shared total under a mutex
// while main adds another; both orders give the same sum.
//
// Expected outcomes (sc and go: race-free), one:
//   ok  total=0x1FF+0b1010+1_000+0o17+0755 = 511+10+1000+15+493 = 2029
//       output "2029\n"  serial
// Data races, deadlocks, leaks: none.
package main

import (
	"fmt"
	"sync"
)

const mask = 0x1FF

var (
	total int
	mu    sync.Mutex
	wg    sync.WaitGroup
)

func add(n int) {
	mu.Lock()
	total = total + n
	mu.Unlock()
}

func main() {
	wg.Add(1)
	go func() {
		add(mask + 0b1010)
		wg.Done()
	}()
	add(1_000 + 0o17 + 0755)
	wg.Wait()
	fmt.Println(total)
}
