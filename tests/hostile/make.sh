#!/usr/bin/env bash
# Write the hostile inputs that are too big to commit, or made of bytes a
# text file cannot hold (not UTF-8, NUL, CRLF, BOM), into a directory:
#
#   tests/hostile/make.sh [DIR]     # default: a new mktemp -d directory
#
# Prints the directory. Nothing is written inside the repository unless DIR
# is there: these files are never committed. The small hostile inputs are
# the .gr files beside this script; tests/hostile/run.sh runs them all.
set -eu   # no pipefail: `yes | head` ends yes with SIGPIPE

dir=${1:-$(mktemp -d /tmp/grace-hostile.XXXXXX)}
mkdir -p "$dir"
cd "$dir"

MB10=$((10 * 1024 * 1024))

# rep STR N: STR repeated N times, no separator
rep() { yes -- "$1" | head -n "$2" | tr -d '\n'; }

# ---- bytes ---------------------------------------------------------------
# every byte value 0..255, four times: binary garbage
for _ in 1 2 3 4; do
	for i in $(seq 0 255); do printf "\\x$(printf %02x "$i")"; done
done > binary_garbage.gr
# not UTF-8 at the very start
printf '\xff\xfefunc main() {}\n' > not_utf8_start.gr
# not UTF-8 inside a comment on line 3 (a lone continuation byte)
printf 'var x int\n\n// caf\xe9\nfunc main() {}\n' > not_utf8_comment.gr
# a truncated 3-byte sequence inside a string, then the end of the file
printf 'func main() {\n\tprint("\xe2\x82' > not_utf8_string_eof.gr
# an over-long encoding of '/' (C0 AF), classic UTF-8 validator bait
printf 'func main() {}\n\xc0\xaf\n' > not_utf8_overlong.gr
# a UTF-16 file (with its BOM)
printf '\xff\xfef\x00u\x00n\x00c\x00 \x00m\x00a\x00i\x00n\x00(\x00)\x00 \x00{\x00}\x00\n\x00' > utf16.gr
# NUL bytes: in code, in a string, in a comment
printf 'func main() {\n\t\x00\n}\n' > nul_in_code.gr
printf 'func main() {\n\tprint("a\x00b")\n}\n' > nul_in_string.gr
printf 'func main() {} // \x00 nul\n' > nul_in_comment.gr
# CRLF line endings: a good program, and one with an error on line 4
printf 'var x int\r\n\r\nfunc main() {\r\n\tx = 1\r\n\tgo func() { x++ }()\r\n}\r\n\r\nexpect exists x == 1\r\n' > crlf_ok.gr
printf 'var x int\r\n\r\nfunc main() {\r\n\tx = y\r\n}\r\n' > crlf_error.gr
# lone CR line endings (classic Mac): Go treats CR as a space
printf 'var x int\rfunc main() {\r\tx = 1\r}\r' > cr_only.gr
# a BOM at the start (Go accepts it), and one in the middle (Go rejects it)
printf '\xef\xbb\xbfvar x int\n\nfunc main() {\n\tx = 1\n}\n' > bom_start.gr
printf 'var x int\n\nfunc main() {\n\tx \xef\xbb\xbf= 1\n}\n' > bom_middle.gr
printf '\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbffunc main() {}\n' > bom_triple.gr
# an unassigned / private-use / RTL-override code point, and non-ASCII names
printf 'var caf\xc3\xa9 int\nfunc main() {}\n' > unicode_ident.gr
printf 'func main() {\n\tprint("\xe2\x80\xae evil \xf0\x9f\x92\xa3")\n\tx := \xf0\x9f\x92\xa3\n}\n' > unicode_emoji.gr

# ---- size: 10 MB ---------------------------------------------------------
{
	echo 'var x int'
	yes '// padding padding padding padding padding padding padding padding' | head -c $MB10
	echo
	echo 'func main() { x = 1 }'
} > big_10mb_line_comments.gr
{
	printf 'var x int\n// '
	rep 'padding ' $((MB10 / 8))
	printf '\nfunc main() { x = 1 }\n'
} > big_10mb_one_comment_line.gr
{
	echo 'var x int'
	printf '/*'
	yes 'padding padding padding padding padding padding' | head -c $MB10
	echo '*/'
	echo 'func main() { x = 1 }'
} > big_10mb_block_comment.gr
{
	echo 'func main() {}'
	printf '/*'
	yes 'padding padding padding padding padding padding' | head -c $MB10
} > big_10mb_unterminated_comment.gr
{
	echo 'var x int'
	echo 'func main() {'
	yes $'\tx = x + 1' | head -n $((MB10 / 11))
	echo '}'
} > big_10mb_statements.gr
{
	echo 'var x int'
	awk -v n=$((MB10 / 47)) 'BEGIN { for (i = 0; i < n; i++) printf "func f%d(a int) int { return a + %d }\n", i, i }'
	echo 'func main() { x = f7(1) }'
} > big_10mb_funcs.gr
{
	awk -v n=$((MB10 / 16)) 'BEGIN { for (i = 0; i < n; i++) printf "var v%d int\n", i }'
	echo 'func main() {'
	echo '	go func() { v1 = 1 }()'
	echo '	for i := 0; i < 3; i++ { v2 = v2 + 1 }'
	echo '}'
} > big_10mb_globals.gr
{
	echo 'func main() {'
	printf '\tprint("'
	rep 'a' $MB10
	echo '")'
	echo '}'
} > big_10mb_string.gr

# ---- nesting: 10,000 deep --------------------------------------------------
N=10000
{ printf 'var x = '; rep '(' $N; printf 1; rep ')' $N; printf '\nfunc main() {}\n'; } > nested_parens_10000.gr
{ printf 'func main() {\n\tx := '; rep '(' $N; printf 1; rep ')' $N; printf '\n\tprint(x)\n}\n'; } > nested_parens_local_10000.gr
{ printf 'func main() '; rep '{' $N; rep '}' $N; echo; } > nested_blocks_10000.gr
{ printf 'func main() {\n'; rep 'if true {' $N; echo; rep '}' $N; printf '\n}\n'; } > nested_ifs_10000.gr
{ printf 'var a [3]int\nfunc main() {\n\ta[0] = '; rep 'a[' $N; printf 0; rep ']' $N; printf '\n}\n'; } > nested_index_10000.gr
{ printf 'func main() {\n'; rep 'go func() {' $N; rep '}()' $N; printf '\n}\n'; } > nested_go_funclit_10000.gr
# deep without brackets: a 10,000-long else-if chain, prefix operators and
# a 100,000-term left-associative sum (a deep tree without any bracket)
{
	echo 'var x int'
	echo 'func main() {'
	printf '\tif x == 0 {\n\t\tx = 1\n'
	awk -v n=$N 'BEGIN { for (i = 1; i < n; i++) printf "\t} else if x == %d {\n\t\tx = %d\n", i, i + 1 }'
	printf '\t}\n}\n'
} > else_if_chain_10000.gr
{ printf 'func main() {\n\tx := '; rep '-' $N; printf '1\n\tprint(x)\n}\n'; } > unary_minus_10000.gr
{ printf 'func main() {\n\tx := '; rep '- ' $N; printf '1\n\tprint(x)\n}\n'; } > unary_minus_spaced_10000.gr
{ printf 'func main() {\n\tb := '; rep '!' $N; printf 'true\n\tprint(b)\n}\n'; } > unary_not_10000.gr
{ printf 'var ch = make(chan int, 1)\nfunc main() {\n\tch <- 1\n\tx := '; rep '<-' $N; printf 'ch\n\tprint(x)\n}\n'; } > recv_chain_10000.gr
{ printf 'func main() {\n\tx := 1'; rep ' + 1' 100000; printf '\n\tprint(x)\n}\n'; } > binary_chain_100000.gr
{ printf 'const C = 1'; rep ' + 1' 100000; printf '\nvar x = C\nfunc main() {}\n'; } > const_chain_100000.gr
{ printf 'var x int\nfunc main() {}\nexpect exists x == 0'; rep ' || x == 0' 100000; echo; } > expect_chain_100000.gr
{ printf 'var a atomic.Int64\nfunc main() {\n\tx := a'; rep '.Load()' $N; printf '\n}\n'; } > selector_chain_10000.gr

# ---- counts: 10,000 of a thing ---------------------------------------------
{
	echo 'var n int'
	echo 'func f() { n++ }'
	echo 'func main() {'
	yes $'\tgo f()' | head -n $N
	echo '}'
} > go_10000.gr
{
	echo 'func f() {}'
	echo 'func main() {'
	yes $'\tgo f()' | head -n $N
	echo '}'
} > go_10000_empty.gr
{
	echo 'var ch = make(chan int)'
	echo 'func main() {'
	echo '	select {'
	awk -v n=$N 'BEGIN { for (i = 0; i < n; i++) printf "\tcase ch <- %d:\n", i }'
	echo '	default:'
	echo '	}'
	echo '}'
} > select_10000_cases.gr
{
	printf 'func f('
	awk -v n=$N 'BEGIN { for (i = 0; i < n; i++) printf "p%d, ", i }'
	printf 'last int) int { return last }\nfunc main() {\n\tprint(f('
	rep '1, ' $N
	printf '2))\n}\n'
} > params_10000.gr
{
	echo 'var x int'
	echo 'func main() { go func() { x = 1 }(); x = 2 }'
	yes 'expect exists x == 1' | head -n $N
} > expects_10000.gr
{ printf 'func main() {}\n'; rep ';' $MB10; echo; } > semicolons_10mb.gr

# ---- past the compact encodings (u16 function ids, u8 argument counts) ----
# 65,538 functions: `big` is function number 65,536 and `main` 65,537. With
# ids truncated to 16 bits, `big` aliases f0 and `main` aliases f1 (both same
# signatures), so main silently runs f1's empty body: x stays 0.
{
	echo '// hostile-expect: exit 0|2'
	echo 'var x int'
	echo 'func f0(a int) int { return a }'
	awk 'BEGIN { for (i = 1; i < 65536; i++) printf "func f%d() {}\n", i }'
	echo 'func big(a int) int { return a + 1000000 }'
	echo 'func main() { x = big(1) }'
	echo 'expect forall x == 1000001'
} > funcs_65538_alias.gr
# 65,536 functions then main: main gets f0's signature (int result)
{
	echo '// hostile-expect: exit 0|2'
	echo 'var x int'
	awk 'BEGIN { for (i = 0; i < 65536; i++) printf "func f%d(a int) int { return a + %d }\n", i, i }'
	echo 'func main() { x = f7(1) }'
	echo 'expect forall x == 8'
} > funcs_65537_main_last.gr
# a call with 256 arguments (the argument count is kept in 8 bits)
for n in 255 256; do
	{
		echo '// hostile-expect: exit 0|2'
		echo 'var r int'
		printf 'func f('
		awk -v n=$n 'BEGIN { for (i = 0; i < n - 1; i++) printf "p%d, ", i }'
		printf 'last int) int { return last }\nfunc main() {\n\tr = f('
		rep '1, ' $((n - 1))
		printf '2)\n}\nexpect forall r == 2\n'
	} > "args_$n.gr"
done
# 200 shared arrays of 1024 ints (204,800 variables) and a 500-step loop:
# memory grows with variables x states (sc 1.6 GB, go 7.6 GB, tso > 8 GB)
{
	for i in $(seq 0 199); do echo "var a$i [1024]int"; done
	echo 'func main() {'
	echo '	for i := 0; i < 500; i++ { a0[0] = i }'
	echo '}'
} > arrays_200x1024.gr

# ---- long lines ----------------------------------------------------------
{ printf 'var '; rep 'a' 1000000; printf ' int\nfunc main() {}\n'; } > long_identifier_1m.gr
{ printf 'func main() {\n\t'; rep 'x := 1; ' 125000; printf '\n}\n'; } > long_line_redeclared_1m.gr
{ printf 'var x int\nfunc main() {\n\tx = 1'; rep ' ' 1000000; printf '+ y\n}\n'; } > long_line_error_at_end.gr
{ printf 'var x = 9'; rep '9' 1000000; printf '\nfunc main() {}\n'; } > long_int_literal_1m.gr

echo "$dir"
