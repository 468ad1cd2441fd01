//! Pinned numbers: the state and transition counts of the benchmark models
//! that check in about a second or less (release build), with reductions, so
//! that a change in the search shows up in review. The big ones are in
//! docs/PERFORMANCE.md.

use grace::Memory;

#[test]
fn benchmark_state_counts_are_pinned() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lines = Vec::new();
    for (model, memories) in [
        ("incr_n3_k2", &[Memory::Sc, Memory::Tso, Memory::Go][..]),
        (
            "mutex_incr_n4_k3",
            &[Memory::Sc, Memory::Tso, Memory::Go][..],
        ),
        ("incr_n4_k3", &[Memory::Sc][..]),
        ("incr_n5_k2", &[Memory::Sc][..]),
        ("mutex_incr_n8_k2", &[Memory::Sc, Memory::Go][..]),
        ("mutex_incr_n7_k3", &[Memory::Sc][..]),
        ("philosophers_n6", &[Memory::Sc][..]),
        (
            "philosophers_n5",
            &[Memory::Sc, Memory::Tso, Memory::Go][..],
        ),
        ("philosophers_n7", &[Memory::Sc][..]),
        ("pipeline_n16", &[Memory::Sc][..]),
        ("pipeline_n8", &[Memory::Sc, Memory::Tso, Memory::Go][..]),
        // the asymmetric families: stubborn sets
        ("confined_n6_k3", &[Memory::Sc][..]),
        ("confined_n8_k3", &[Memory::Sc, Memory::Go][..]),
        ("merge_n6_k3", &[Memory::Sc][..]),
        ("merge_n7_k2", &[Memory::Sc][..]),
        ("merge_n8_k3", &[Memory::Sc][..]),
        ("transfer_n8", &[Memory::Sc][..]),
        ("transfer_n10", &[Memory::Sc, Memory::Go][..]),
    ] {
        let path = root.join(format!("bench/{model}.gr"));
        for &m in memories {
            let r = crate::check_as(model, &path, &grace::Options::new().memory(m)).unwrap();
            let r = r.result();
            assert!(r.complete);
            lines.push(format!(
                "{model} {}{}: {} states, {} transitions, {} outcomes, {} races",
                r.memory,
                r.explored_under
                    .map_or(String::new(), |m| format!(" (as {m})")),
                r.stats.states,
                r.stats.transitions,
                r.outcomes.len(),
                r.races.len()
            ));
        }
    }
    insta::assert_snapshot!("bench_counts", lines.join("\n"));
}
