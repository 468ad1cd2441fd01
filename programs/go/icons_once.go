// icons_once.go — GOPL §9.5's lazy initialisation with sync.Once: the
// first Icon call loads every icon, once, and every caller sees them
// loaded. grace has no maps or images, so an icon is an int (its "decoded"
// size) in an array indexed by iota constants, instead of a
// map[string]image.Image; Icon and loadIcons are the book's otherwise.
// Two goroutines ask for an icon each, as two clients would.
//
// Expected outcomes (sc and go agree: the program is race-free; under go,
// the completion of loadIcons happens before each Do returns, so neither
// reader can see an icon unloaded), globals icons=[10 20 30 40]:
//   ok  output "10\n40\n"  serial   (the spades goroutine prints first)
//   ok  output "40\n10\n"  serial   (the clubs goroutine prints first)
// Whichever goroutine's Do comes first calls loadIcons; the other's Do
// either waits for loadIcons to return or finds it done. loadIcons runs
// exactly once in every run.
// Data races: none. Deadlocks, panics, leaks, never-ending runs: none.
package main

import (
	"fmt"
	"sync"
)

const (
	spades = iota
	hearts
	diamonds
	clubs
)

var loadIconsOnce sync.Once
var icons [4]int

func loadIcon(name int) int {
	return 10 * (name + 1)
}

func loadIcons() {
	icons[spades] = loadIcon(spades)
	icons[hearts] = loadIcon(hearts)
	icons[diamonds] = loadIcon(diamonds)
	icons[clubs] = loadIcon(clubs)
}

// Concurrency-safe.
func Icon(name int) int {
	loadIconsOnce.Do(loadIcons)
	return icons[name]
}

var wg sync.WaitGroup

func main() {
	wg.Add(2)
	go func() {
		defer wg.Done()
		fmt.Println(Icon(spades))
	}()
	go func() {
		defer wg.Done()
		fmt.Println(Icon(clubs))
	}()
	wg.Wait()
}
