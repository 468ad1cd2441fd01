//! The hostile inputs in `tests/hostile/`: each ends in a report or a
//! located error (exit 0-3), never a panic, within small limits; the
//! snapshot pins the exit status and the first line grace prints.

use std::process::Command;

#[test]
fn hostile_inputs_get_a_report_or_an_error() {
    insta::glob!("../hostile", "*.gr", |path| {
        let out = Command::new(env!("CARGO_BIN_EXE_grace"))
            .args([
                "check",
                "--max-states",
                "20000",
                "--max-memory",
                "2000",
                "--witness",
                "none",
            ])
            .arg(path)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            (0..=3).contains(&code),
            "{}: exit {code}\n{stderr}",
            path.display()
        );
        assert!(
            !stderr.contains("internal error"),
            "{}: {stderr}",
            path.display()
        );
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if let Some(want) = text
            .lines()
            .find_map(|l| l.strip_prefix("// hostile-expect: exit "))
        {
            assert_eq!(code.to_string(), want.trim(), "{}", path.display());
        }
        let first = if code == 2 {
            stderr.lines().next()
        } else {
            stdout.lines().next()
        };
        let first = first.unwrap_or("").replace(env!("CARGO_MANIFEST_DIR"), "");
        insta::assert_snapshot!("hostile", format!("exit {code}\n{first}\n"));
    });
}
