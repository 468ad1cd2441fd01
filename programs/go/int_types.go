// int_types.go — Go's sized integer types: wrap-around on the type's width,
// unsigned comparison and division, conversions that truncate, typed
// constants. Two goroutines each add 200 to a shared uint8 counter under a
// mutex (so the sum wraps: 400 mod 256 = 144); main then prints values
// computed on each type.
//
// Expected outcomes (derived by hand, every run the same; the mutex orders
// the two increments but both orders give the same sums):
//   line 1: total = 144 (uint8: 0+200 = 200, 200+200 = 400 → 144)
//   line 2: b = 255 (uint8(0) - 1 wraps), i8 = -128 (int8(127) + 1 wraps),
//           u16 = 65535 (uint16(-1) after int16 -1 converted)
//   line 3: big = 18446744073709551615 (uint64(0) - 1), big/2 =
//           9223372036854775807 (unsigned division), big > 1 = true
//           (unsigned comparison)
//   line 4: int32(3000000000 as int64) = -1294967296 (truncated to 32 bits),
//           uint32(n32) = 3000000000, int64(n32) = -1294967296
//   line 5: Limit + 1 = 101 (typed const int16 100, plus untyped 1), k = 7,
//           twice(100) = -56 (int8: 200 wraps to 200 - 256)
//   ok  output "144\n255 -128 65535\n18446744073709551615 9223372036854775807 true\n-1294967296 3000000000 -1294967296\n101 7 -56\n"  serial
// Data races: none (total is always written under mu). Deadlocks: none.
// Leaks: none.
package main

import (
	"fmt"
	"sync"
)

const Limit int16 = 100

var total uint8
var mu sync.Mutex
var wg sync.WaitGroup

func add(n uint8) {
	mu.Lock()
	total += n
	mu.Unlock()
	wg.Done()
}

func twice(x int8) int8 {
	return x * 2
}

func main() {
	wg.Add(2)
	go add(200)
	go add(200)
	wg.Wait()
	mu.Lock()
	fmt.Println(total)
	mu.Unlock()

	var b uint8
	b = b - 1
	var i8 int8 = 127
	i8++
	var s16 int16 = -1
	u16 := uint16(s16)
	fmt.Println(b, i8, u16)

	var big uint64
	big--
	fmt.Println(big, big/2, big > 1)

	var wide int64 = 3000000000
	n32 := int32(wide)
	fmt.Println(n32, uint32(n32), int64(n32))

	var k byte = 7
	fmt.Println(Limit+1, k, twice(100))
}
