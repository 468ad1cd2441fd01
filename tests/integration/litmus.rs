//! The litmus tests in `programs/litmus/`: each states in a header line
//! `// allowed: sc=no tso=yes go=yes` whether each model allows its weak
//! outcome, and ends with one `expect exists` for that outcome. The verdicts
//! under `tso` are the published x86-TSO ones (cited in each file).

use grace::{Memory, Options};

#[test]
fn litmus_verdicts_match_each_model() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("programs/litmus");
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some(line) = text.lines().find(|l| l.starts_with("// allowed:")) else {
            continue;
        };
        for (name, m) in [("sc", Memory::Sc), ("tso", Memory::Tso), ("go", Memory::Go)] {
            let want = line
                .split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("{}: no verdict for {name}", path.display()));
            let r = crate::check_as("litmus", &path, &Options::new().memory(m)).unwrap();
            assert!(r.complete());
            assert_eq!(
                r.expects().len(),
                1,
                "{}: one expect exists",
                path.display()
            );
            let allowed = r.expects()[0].holds();
            assert_eq!(
                allowed,
                want == "yes",
                "{} under {name}: grace says {}",
                path.display(),
                if allowed { "allowed" } else { "forbidden" }
            );
        }
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} litmus tests found");
}
