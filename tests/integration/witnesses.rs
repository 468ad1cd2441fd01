//! Laws of the witnesses over the whole corpus, under every model, with
//! and without reductions: what a report says of a witness is what the
//! witness shows.

use grace::{CheckResult, Memory, Options, WitnessStep};

/// Programs the corpus does not cover that broke these laws once.
const EXTRA: &[(&str, &str)] = &[
    (
        // two twins: after the second one's read the two are equal, and the
        // replay preferred the one that had just moved for the second access
        "incr_twins.gr",
        "var count int\nvar wg sync.WaitGroup\n\
     func incr() {\n\ttmp := count\n\tcount = tmp + 1\n\twg.Done()\n}\n\
     func main() {\n\twg.Add(2)\n\tgo incr()\n\tgo incr()\n\twg.Wait()\n}\n",
    ),
    (
        // a rendezvous is a step of both sides: b's send to a waiting a,
        // then a going on, was shown as a preemption (also unreduced)
        "rendezvous_then_receiver.gr",
        "var mu sync.Mutex\nvar ch = make(chan int)\nvar wg sync.WaitGroup\n\
         func a() {\n\tmu.Lock()\n\t<-ch\n\tmu.Unlock()\n\tprint(\"a\")\n\twg.Done()\n}\n\
         func b() {\n\tch <- 1\n\tprint(\"b\")\n\twg.Done()\n}\n\
         func main() {\n\twg.Add(2)\n\tgo a()\n\tgo b()\n\twg.Wait()\n}\n",
    ),
    (
        // a serial outcome none of whose runs without preemption the
        // reduced graph holds (found by generating programs)
        "reduced_serial.gr",
        "var x int\nvar y int\nvar mu sync.Mutex\nvar u = make(chan int)\nvar wg sync.WaitGroup\n\
         func f0() {\n\tprint(x)\n\t<-u\n\twg.Done()\n}\n\
         func f1() {\n\tmu.Lock()\n\tu <- 2\n\tmu.Unlock()\n\ty = x\n\t<-u\n\twg.Done()\n}\n\
         func main() {\n\twg.Add(2)\n\tgo f0()\n\tgo f1()\n\twg.Wait()\n}\n",
    ),
    (
        // twins and a rendezvous: replaying the run without preemption, the
        // receiver goes on, and the replay took its twin for it instead
        "twins_after_rendezvous.gr",
        "var x int\nvar y int\nvar mu sync.Mutex\nvar mu2 sync.Mutex\nvar u = make(chan int)\nvar wg sync.WaitGroup\n\
         func f0() {\ny = <-u\nwg.Done()\n}\n\
         func f1() {\nmu.Lock()\nu <- 2\nmu.Unlock()\nmu.Lock()\ny = y + 1\nmu.Unlock()\nmu2.Lock()\nx = 2\nmu2.Unlock()\nx = x + 1\nwg.Done()\n}\n\
         func f2() {\nprint(x)\nmu.Lock()\n<-u\nmu.Unlock()\nwg.Done()\n}\n\
         func main() {\nwg.Add(4)\ngo f0()\ngo f1()\ngo f2()\ngo f0()\nmu.Lock()\nu <- 2\nmu.Unlock()\nwg.Wait()\n}\n",
    ),
];

/// Every check of the corpus and of [`EXTRA`]: (what was checked, result).
fn every_check() -> Vec<(String, CheckResult)> {
    let mut out = Vec::new();
    for path in crate::snapshots::program_files() {
        let name = crate::display_name(&path);
        for m in Memory::ALL {
            for no_reduction in [false, true] {
                let opts = Options::new().memory(m).reductions(!no_reduction);
                let r = crate::check_as(&name, &path, &opts).unwrap();
                out.push((
                    format!("{name} {m:?} no_reduction={no_reduction}"),
                    r.into_result(),
                ));
            }
        }
    }
    for &(name, src) in EXTRA {
        for no_reduction in [false, true] {
            for m in Memory::ALL {
                let opts = Options::new().memory(m).reductions(!no_reduction);
                let r = grace::check_source(name, src, &opts).unwrap();
                out.push((
                    format!("{name} {m} no_reduction={no_reduction}"),
                    r.into_result(),
                ));
            }
        }
    }
    out
}

fn at(s: &WitnessStep) -> (String, u32, u32) {
    (s.goroutine.clone(), s.line, s.col)
}

/// A race's header names the goroutines whose steps in its witness make
/// the two accesses: the last step makes one; the step before it the other
/// (two accesses pending at once), or an earlier step of another goroutine
/// (found through happens-before).
#[test]
fn race_headers_name_the_goroutines_of_the_witness() {
    let (mut races, mut wrong) = (0, Vec::new());
    for (what, r) in every_check() {
        for race in &r.races {
            races += 1;
            let sides = [
                (race.a.goroutine.clone(), race.a.line, race.a.col),
                (race.b.goroutine.clone(), race.b.line, race.b.col),
            ];
            let (last, before) = race.witness.split_last().expect("a race has a witness");
            // A select's step, wherever its case is, makes the send of a
            // case below it (it polls the case, taken or not: the access
            // is named at the case, as Go's race detector names it).
            let at = |s: &WitnessStep| {
                let case = [&race.a, &race.b].into_iter().find(|x| {
                    x.op == "send"
                        && x.goroutine == s.goroutine
                        && s.step.starts_with("select")
                        && (x.line, x.col) > (s.line, s.col)
                });
                match case {
                    Some(x) => (s.goroutine.clone(), x.line, x.col),
                    None => at(s),
                }
            };
            let last = at(last);
            let other = if last == sides[0] {
                Some(&sides[1])
            } else if last == sides[1] {
                Some(&sides[0])
            } else {
                None
            };
            let ok = sides[0].0 != sides[1].0
                && other.is_some_and(|other| {
                    if race.by_hb {
                        before.iter().any(|s| at(s) == *other)
                    } else {
                        before.last().map(at).as_ref() == Some(other)
                    }
                });
            if !ok {
                let steps: Vec<String> = race
                    .witness
                    .iter()
                    .map(|s| format!("{} {}:{} {}", s.goroutine, s.line, s.col, s.step))
                    .collect();
                wrong.push(format!(
                    "{what}: race on {}: {} at {}:{} and {} at {}:{}; witness:\n  {}",
                    race.var,
                    sides[0].0,
                    sides[0].1,
                    sides[0].2,
                    sides[1].0,
                    sides[1].1,
                    sides[1].2,
                    steps.join("\n  ")
                ));
            }
        }
    }
    assert!(races > 50, "only {races} races");
    assert!(
        wrong.is_empty(),
        "{} of {races} race headers do not name their witness's accesses:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// An outcome classed `serial` is reachable without preemption, and its
/// witness shows such a run.
#[test]
fn serial_outcomes_have_witnesses_without_preemption() {
    let (mut serial, mut wrong) = (0, Vec::new());
    for (what, r) in every_check() {
        for (n, o) in r.outcomes.iter().enumerate() {
            if o.class != Some(grace::Class::Serial) {
                continue;
            }
            serial += 1;
            let shown = o.witness.iter().filter(|s| s.preemption).count();
            if o.preemptions != 0 || shown != 0 {
                wrong.push(format!(
                    "{what}: outcome #{} ({} output={:?}) has {} preemptions",
                    n + 1,
                    o.values(),
                    o.output,
                    o.preemptions.max(shown as u32)
                ));
            }
        }
    }
    assert!(serial > 100, "only {serial} serial outcomes");
    assert!(
        wrong.is_empty(),
        "{} of {serial} serial outcomes have a witness with a preemption:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
