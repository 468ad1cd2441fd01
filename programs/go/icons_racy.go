// icons_racy.go — GOPL §9.5's first, broken lazy loader ("NOTE: not
// concurrency-safe!"): Icon tests whether the icons are loaded and loads
// them if not, with no synchronisation. The book tests `icons == nil`; an
// array is never nil, so loadIcons sets a flag, `loaded`, after the icons,
// which is the order the book's map assignment has.
//
// Expected outcomes, globals always icons=[10 20 30 40] loaded=true:
//   under sc: output "10\n40\n" and "40\n10\n", serial: both goroutines
//     may see loaded false and both load (same values), else the second
//     sees everything the first wrote.
//   under go (the default), also the book's point, that a goroutine may
//     see loaded true and an icon still unloaded (stale reads, 0):
//     "0\n10\n", "0\n40\n", "10\n0\n", "40\n0\n"  stale
//     Only one reader can see 0: seeing loaded true means the other
//     goroutine loaded, and a goroutine that loaded itself reads its own
//     writes. 6 outcomes.
// Data races: the writes of icons[0..3] and loaded by both goroutines
// (both may load), the read of loaded and of each goroutine's icon against
// the other goroutine's writes. Deadlocks, panics, leaks, never-ending
// runs: none.
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

var icons [4]int
var loaded bool

func loadIcon(name int) int {
	return 10 * (name + 1)
}

func loadIcons() {
	icons[spades] = loadIcon(spades)
	icons[hearts] = loadIcon(hearts)
	icons[diamonds] = loadIcon(diamonds)
	icons[clubs] = loadIcon(clubs)
	loaded = true
}

// NOTE: not concurrency-safe!
func Icon(name int) int {
	if !loaded {
		loadIcons() // one-time initialization
	}
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
