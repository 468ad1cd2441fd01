// FINDING (accepts invalid Go with a wrong meaning, medium): in a file without `type`
// declarations the struct pass is skipped and the lowering ignores LValue.field, so
// `x.n = 2` assigns x itself: grace: clean, output "2\n". Go: "x.n undefined (type int has
// no field or method n)". (With a struct type declared, grace says "`x` is not a struct".)
// Same for `o.x.Do(func() {…})` on a sync.Once o: the field is dropped.
// Should: "`x` is not a struct: x.n cannot be assigned". Fixed on this branch.
package main

import "fmt"

func main() {
	x := 1
	x.n = 2
	fmt.Println(x)
}
