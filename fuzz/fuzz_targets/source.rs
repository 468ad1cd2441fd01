//! Arbitrary bytes as a `.gr` file: decoding, parsing, checking and lowering
//! must give an error or a program, and checking the program (bounded) must
//! give a report. Any panic, stack overflow or hang is a bug.
#![no_main]

use grace::CheckOptions;
use grace::memory::sc::Sc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = grace::source_from_bytes("fuzz.gr", data) else {
        return;
    };
    if let Ok(prog) = grace::compile(&src) {
        let _ = grace::check(
            &prog,
            &Sc,
            CheckOptions {
                max_states: Some(2000),
                ..Default::default()
            },
        );
    }
});
