// FINDING (valid Go refused, confusing message, low): an embedded sync.Once promotes Do,
// but `w.Do(func() {…})` parses as once_do_lit with lvalue w, which the struct pass does not
// rewrite. grace: "16:2: error: `w` is a local *W, not a channel or sync object".
// Go: ok (a real data race on w.total; outputs once\n3). Also Once in promotes() is dead for
// this form. Should: rewrite the lvalue of once_do_lit through promotion (#W.Once[*w]).
package main

import (
	"fmt"
	"sync"
)

type W struct {
	sync.WaitGroup
	sync.Once
	total int
}

func (w *W) work(n int) {
	defer w.Done()
	w.Do(func() { fmt.Println("once") })
	w.total += n
}

func main() {
	w := &W{}
	w.Add(2)
	go w.work(1)
	go w.work(2)
	w.Wait()
	fmt.Println(w.total)
}
