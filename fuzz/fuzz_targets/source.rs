//! Arbitrary bytes as a `.gr` file: decoding, parsing, checking and lowering
//! must give an error or a program, and checking the program (bounded) must
//! give a report. Any panic, stack overflow or hang is a bug. Through the
//! library's API, so on the stack every check gets (`grace::STACK_BYTES`).
#![no_main]

use grace::{Memory, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = Options::new().memory(Memory::Sc).max_states(2000);
    let _ = grace::check_bytes("fuzz.gr", data, &opts);
});
