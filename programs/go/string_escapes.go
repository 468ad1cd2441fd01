// Go's escapes in string literals: \r \a \b \f \v and \u / \U code points,
// beside \n \t \" \\.
//
// Expected (one goroutine, one outcome): the bytes of each string, as
// `%q` shows them: "a\rb" "\a\b\f\v" "é☺" "😀" "tab\there" (printable
// characters as they are).
package main

import "fmt"

func main() {
	fmt.Printf("%q %q %q %q\n", "a\rb", "\a\b\f\v", "\u00e9\u263A", "\U0001F600")
	fmt.Printf("%q\n", "tab\there")
}
