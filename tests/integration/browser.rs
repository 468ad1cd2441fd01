//! The `--html` page as a browser shows it: headless Chromium (Debian's
//! `chromium` package; `GRACE_CHROMIUM` names another binary) opens the page
//! of a racy program, a small script added to a copy of the page measures
//! what the browser laid out, and a screenshot is checked for the outcome
//! table and the graph.
//!
//! Without a browser the test is skipped, unless `GRACE_BROWSER=required`
//! (set by `.ci/run`, which installs `chromium`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser to use, or why there is none.
pub(crate) fn browser() -> Result<PathBuf, String> {
    if let Some(b) = std::env::var_os("GRACE_CHROMIUM") {
        return Ok(PathBuf::from(b));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err("no chromium on the PATH (Debian: apt-get install chromium)".into())
}

/// Chromium, headless, on `page`, with these extra arguments; its stdout.
fn chromium(bin: &Path, page: &Path, args: &[String]) -> String {
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            page.with_extension("profile").display()
        ))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "{} failed: {}",
        bin.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Measures the page in the browser and writes what it found into the
/// document, for `--dump-dom` to show: the outcome table's and the graph's
/// boxes, the page's height, and every problem (a missing or empty part,
/// two labels that overlap, a label outside its node).
const PROBE: &str = r#"<script>
(function () {
  var problems = [];
  function rect(e) { var r = e.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height }; }
  function meets(a, b) { return a.x + 1 < b.x + b.w && b.x + 1 < a.x + a.w
                             && a.y + 1 < b.y + b.h && b.y + 1 < a.y + a.h; }
  function inside(a, b) { return a.x >= b.x - 1 && a.y >= b.y - 1
                              && a.x + a.w <= b.x + b.w + 1 && a.y + a.h <= b.y + b.h + 1; }
  function box(e, what) {
    if (!e) { problems.push('no ' + what); return null; }
    var r = rect(e);
    if (r.w < 10 || r.h < 10) problems.push(what + ' has no size');
    return r;
  }
  var table = box(document.querySelector('table.outcomes'), 'outcome table');
  if (table && document.querySelectorAll('table.outcomes tr').length < 2) problems.push('no outcome rows');
  var graph = box(document.querySelector('svg.graph'), 'graph');
  var labels = Array.prototype.slice.call(document.querySelectorAll('svg.graph text'));
  var shapes = Array.prototype.slice.call(document.querySelectorAll('svg.graph rect, svg.graph circle')).map(rect);
  if (labels.length === 0) problems.push('no labels in the graph');
  var boxes = labels.map(rect);
  for (var i = 0; i < boxes.length; i++) {
    if (!shapes.some(function (s) { return inside(boxes[i], s); }))
      problems.push('label outside its node: ' + labels[i].textContent);
    for (var j = i + 1; j < boxes.length; j++)
      if (meets(boxes[i], boxes[j]))
        problems.push('labels overlap: ' + labels[i].textContent + ' / ' + labels[j].textContent);
  }
  function show(r) { return r ? [r.x, r.y, r.w, r.h].map(Math.round).join(',') : ''; }
  var p = document.createElement('p');
  // the markers are split so that the script's own text does not contain them
  p.textContent = 'PRO' + 'BE table=' + show(table) + ' graph=' + show(graph)
    + ' height=' + Math.ceil(document.documentElement.scrollHeight)
    + ' problems=' + (problems.length ? problems.join(' | ') : 'none') + ' E' + 'ND';
  document.body.appendChild(p);
})();
</script>"#;

/// A box in page pixels: x, y, width, height.
type Area = [u32; 4];

/// The probe's findings from the dumped document.
fn probe_result(dom: &str) -> (Area, Area, u32, String) {
    let line = dom
        .split("PROBE ")
        .nth(1)
        .and_then(|r| r.split(" END").next())
        .unwrap_or_else(|| panic!("the probe did not run:\n{dom}"));
    let field = |name: &str| -> String {
        line.split(&format!("{name}="))
            .nth(1)
            .map(|v| {
                if name == "problems" {
                    v.to_string()
                } else {
                    v.split(' ').next().unwrap_or("").to_string()
                }
            })
            .unwrap_or_default()
    };
    let area = |name: &str| -> Area {
        let v: Vec<u32> = field(name)
            .split(',')
            .filter_map(|n| n.parse::<i64>().ok())
            .map(|n| n.max(0) as u32)
            .collect();
        assert_eq!(v.len(), 4, "no {name} box in: {line}");
        [v[0], v[1], v[2], v[3]]
    };
    let height = field("height").parse().unwrap_or(0);
    (area("table"), area("graph"), height, field("problems"))
}

/// Pixels of `area` in the screenshot that are dark (text, lines) and red
/// (race outcomes).
fn ink(png_file: &Path, area: Area) -> (usize, usize) {
    let file = std::fs::File::open(png_file).unwrap();
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (mut dark, mut red) = (0, 0);
    let [x0, y0, w, h] = area;
    for y in y0..(y0 + h).min(info.height) {
        for x in x0..(x0 + w).min(info.width) {
            let i = (y as usize * info.width as usize + x as usize) * channels;
            let (r, g, b) = (buf[i] as u32, buf[i + 1] as u32, buf[i + 2] as u32);
            if r + g + b < 300 {
                dark += 1;
            }
            if r > 150 && g < 90 && b < 90 {
                red += 1;
            }
        }
    }
    (dark, red)
}

#[test]
fn html_page_shows_the_outcomes_and_the_graph_in_a_browser() {
    let required = std::env::var("GRACE_BROWSER").is_ok_and(|v| v == "required");
    let bin = match browser() {
        Ok(b) => b,
        Err(why) => {
            assert!(!required, "GRACE_BROWSER=required: {why}");
            eprintln!("skipped: {why}; set GRACE_BROWSER=required to fail instead");
            return;
        }
    };
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for program in ["programs/bank.gr", "programs/lazy_init_racy.gr"] {
        let page = dir.join(program.replace('/', "_") + ".html");
        let (code, _, err) =
            crate::cli::grace(&["check", program, "--html", page.to_str().unwrap()]);
        assert_eq!(code, 1, "{err}");
        let html = std::fs::read_to_string(&page).unwrap();
        let probed = dir.join(program.replace('/', "_") + ".probe.html");
        std::fs::write(
            &probed,
            html.replace("</body>", &format!("{PROBE}\n</body>")),
        )
        .unwrap();

        // the page is measured at the width the screenshot will have (a
        // width changes where text wraps): wide enough for the graph
        let probe = |width: u32| {
            let size = format!("--window-size={width},1000");
            probe_result(&chromium(&bin, &probed, &["--dump-dom".into(), size]))
        };
        let (_, graph, _, _) = probe(1400);
        let width = (graph[0] + graph[2] + 40).clamp(1400, 8000);
        let (table, graph, height, problems) = probe(width);
        assert_eq!(problems, "none", "{program}: {problems}");

        // a screenshot of the whole page: the table and the graph have ink,
        // and the race outcomes are red in both
        let shot = dir.join(program.replace('/', "_") + ".png");
        chromium(
            &bin,
            &probed,
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={width},{}", height.min(16000)),
            ],
        );
        let (dark, red) = ink(&shot, table);
        assert!(
            dark > 200 && red > 20,
            "{program}: outcome table not visible ({dark} dark, {red} red pixels)"
        );
        let (dark, red) = ink(&shot, graph);
        assert!(
            dark > 200 && red > 20,
            "{program}: graph not visible ({dark} dark, {red} red pixels)"
        );
    }
    // the probe sees what the old hand-made layout did: labels drawn
    // over each other and past their boxes
    let bad = dir.join("overlap.html");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"300\" height=\"100\">\
        <rect x=\"10\" y=\"10\" width=\"84\" height=\"40\"/><text x=\"52\" y=\"30\">balance=100 loaded=true</text>\
        <rect x=\"100\" y=\"10\" width=\"84\" height=\"40\"/><text x=\"142\" y=\"30\">balance=200</text></svg>";
    let page = format!(
        "<!DOCTYPE html>\n<html><body><table class=\"outcomes\"><tr><td>a</td></tr><tr><td>b</td></tr></table>{svg}{PROBE}</body></html>"
    );
    std::fs::write(&bad, page).unwrap();
    let dom = chromium(
        &bin,
        &bad,
        &["--dump-dom".into(), "--window-size=800,600".into()],
    );
    let (_, _, _, problems) = probe_result(&dom);
    assert!(problems.contains("labels overlap"), "{problems}");
    assert!(problems.contains("label outside its node"), "{problems}");
}
