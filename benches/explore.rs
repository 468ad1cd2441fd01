//! `cargo bench`: the whole check (search, witnesses, analyses) of a few
//! mid-size models from `bench/`, under each memory model where it is quick.
//! The side-by-side table with SPIN is `bench/run.sh`.

use grace::{Memory, Options, check_file};

fn main() {
    divan::main();
}

fn run(model: &str, memory: Memory, no_reduction: bool) -> usize {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("bench/{model}.gr"));
    let opts = Options::new().memory(memory).reductions(!no_reduction);
    let r = check_file(&path, &opts).expect("the model checks");
    assert!(r.complete());
    r.result().stats.states
}

#[divan::bench(args = ["incr_n4_k3", "mutex_incr_n4_k3", "philosophers_n5", "pipeline_n16"], sample_count = 5)]
fn sc(model: &str) -> usize {
    run(model, Memory::Sc, false)
}

#[divan::bench(args = ["incr_n3_k2", "mutex_incr_n4_k3", "pipeline_n8"], sample_count = 5)]
fn go(model: &str) -> usize {
    run(model, Memory::Go, false)
}

#[divan::bench(args = ["incr_n3_k2", "pipeline_n8"], sample_count = 5)]
fn tso(model: &str) -> usize {
    run(model, Memory::Tso, false)
}

/// The reference search, without symmetry reduction.
#[divan::bench(args = ["incr_n3_k2", "mutex_incr_n4_k3", "philosophers_n5"], sample_count = 5)]
fn sc_no_reduction(model: &str) -> usize {
    run(model, Memory::Sc, true)
}
