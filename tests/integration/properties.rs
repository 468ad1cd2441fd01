//! Properties over generated input: no input makes grace panic, and laws
//! that hold for every program.

use grace::explore::{CheckOptions, check};
use grace::memory::sc::Sc;
use proptest::prelude::*;

fn compile(src: &str) -> Result<grace::Program, String> {
    grace::compile(&grace::Source::new("gen.gr", src))
}

/// A statement of a generated goroutine body over shared x, y and mutex mu.
fn stmt() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..3i64).prop_map(|v| format!("x = {v}")),
        (0..3i64).prop_map(|v| format!("y = x + {v}")),
        Just("x = y".to_string()),
        Just("x++".to_string()),
        Just("print(x)".to_string()),
        Just("if x > 0 { y = 1 } else { y = 2 }".to_string()),
        Just("ch <- x".to_string()),
        Just("select { case v := <-ch: y = v\n default: }".to_string()),
    ]
}

fn program(locked: bool) -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(stmt(), 1..4),
        proptest::collection::vec(stmt(), 1..4),
    )
        .prop_map(move |(a, b)| {
            let wrap = |ss: &[String]| {
                let body = ss.join("\n");
                if locked {
                    format!("mu.Lock()\n{body}\nmu.Unlock()")
                } else {
                    body
                }
            };
            format!(
                "var x int\nvar y int\nvar mu sync.Mutex\nvar ch = make(chan int, 1)\nvar wg sync.WaitGroup\n\
                 func a() {{\n{}\nwg.Done()\n}}\nfunc b() {{\n{}\nwg.Done()\n}}\n\
                 func main() {{\nwg.Add(2)\ngo a()\ngo b()\nwg.Wait()\n}}\n",
                wrap(&a),
                wrap(&b)
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gives_a_report_or_an_error(s in "\\PC{0,200}") {
        if let Ok(p) = compile(&s) {
            let _ = check(&p, &Sc, CheckOptions { max_states: Some(2000), ..Default::default() });
        }
    }

    #[test]
    fn mangled_programs_never_panic(src in program(false), cut in 0usize..400, junk in "[(){}\\[\\];:=<\\-a-z0-9 \n]{0,5}") {
        let mut s = src.clone();
        let at = cut.min(s.len());
        s.insert_str(at, &junk);
        if let Ok(p) = compile(&s) {
            let _ = check(&p, &Sc, CheckOptions { max_states: Some(5000), ..Default::default() });
        }
    }

    #[test]
    fn generated_programs_check_and_serial_outcomes_are_outcomes(src in program(false)) {
        let p = compile(&src).unwrap();
        let r = check(&p, &Sc, CheckOptions::default());
        prop_assert!(r.complete);
        // every run ends (no deadlock is possible: the channel has room or a default)
        prop_assert!(r.outcomes.iter().any(|o| o.class == grace::explore::Class::Serial));
        // two runs agree exactly
        let r2 = check(&p, &Sc, CheckOptions::default());
        prop_assert_eq!(
            grace::report::text::render("g", &r, grace::report::WitnessMode::All),
            grace::report::text::render("g", &r2, grace::report::WitnessMode::All)
        );
    }

    #[test]
    fn programs_under_one_lock_have_no_data_race(src in program(true)) {
        let p = compile(&src).unwrap();
        let r = check(&p, &Sc, CheckOptions::default());
        prop_assert!(r.races.is_empty(), "{}", src);
    }
}
