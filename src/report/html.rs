//! `--html FILE`: one self-contained page (no scripts, no network) with the
//! outcome table, the swimlane witnesses and a drawing of the state graph.
//! The markup is well-formed XML (every tag closed, text escaped), so tests
//! can parse it.

use super::dot::{Node, Picture};
use crate::analysis::{CheckResult, WitnessStep};
use std::fmt::Write as _;

/// Pictures with more nodes than this are not drawn (use `--dot`).
const MAX_DRAWN: usize = 400;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn swimlanes(out: &mut String, steps: &[WitnessStep]) {
    let lanes = super::lanes(steps);
    out.push_str("<table class=\"lanes\"><tr><th>#</th>");
    for l in &lanes {
        let _ = write!(out, "<th>{}</th>", esc(l));
    }
    out.push_str("</tr>\n");
    for (i, s) in steps.iter().enumerate() {
        let class = if s.preemption {
            " class=\"preempt\""
        } else {
            ""
        };
        let _ = write!(out, "<tr{class}><td>{}</td>", i + 1);
        for l in &lanes {
            if s.goroutine == *l {
                let mark = if s.preemption { "» " } else { "" };
                let _ = write!(
                    out,
                    "<td>{mark}<span class=\"loc\">{}:{}</span> {}</td>",
                    s.line,
                    s.col,
                    esc(&s.step)
                );
            } else {
                out.push_str("<td></td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

/// The state graph as SVG, in layers by distance from the start.
fn svg(out: &mut String, p: &Picture) {
    let n = p.nodes.len();
    let mut layer = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::new();
    if n == 0 {
        return;
    }
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &p.edges {
        next[e.from].push(e.to);
    }
    layer[0] = 0;
    queue.push_back(0usize);
    while let Some(x) = queue.pop_front() {
        for &y in &next[x] {
            if layer[y] == usize::MAX {
                layer[y] = layer[x] + 1;
                queue.push_back(y);
            }
        }
    }
    let depth = layer
        .iter()
        .filter(|l| **l != usize::MAX)
        .max()
        .copied()
        .unwrap_or(0)
        + 1;
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (i, l) in layer.iter().enumerate() {
        if *l != usize::MAX {
            rows[*l].push(i);
        }
    }
    let (dx, dy) = (90.0, 80.0);
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(1) as f64 * dx + 80.0;
    let height = depth as f64 * dy + 80.0;
    let mut pos = vec![(0.0, 0.0); n];
    for (d, row) in rows.iter().enumerate() {
        let off = (width - row.len() as f64 * dx) / 2.0 + dx / 2.0;
        for (k, &i) in row.iter().enumerate() {
            pos[i] = (off + k as f64 * dx, 40.0 + d as f64 * dy);
        }
    }
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">"
    );
    for w in &p.edges {
        let (a, b) = (pos[w.from], pos[w.to]);
        let label = if w.steps == 1 {
            w.label.clone()
        } else {
            format!("{} … ({} steps)", w.label, w.steps)
        };
        let _ = writeln!(
            out,
            "<line x1=\"{:.0}\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\" class=\"{}\"><title>{}</title></line>",
            a.0,
            a.1,
            b.0,
            b.1,
            if w.bold { "edge bold" } else { "edge" },
            esc(&label)
        );
    }
    for (i, node) in p.nodes.iter().enumerate() {
        let (x, y) = pos[i];
        match node {
            Node::Start => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"16\" class=\"start\"/><text x=\"{x:.0}\" y=\"{:.0}\" class=\"label\">start</text>",
                    y + 4.0
                );
            }
            Node::Plain => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"5\" class=\"state\"/>"
                );
            }
            Node::End { label, race } => {
                // DOT-style label: `\n` separates lines, `\\n` is an escaped newline
                let label = label.replace("\\\\n", "⏎");
                let lines: Vec<&str> = label.split("\\n").collect();
                let h = 14.0 * lines.len() as f64 + 8.0;
                let class = if *race { "end race" } else { "end" };
                let _ = writeln!(
                    out,
                    "<rect x=\"{:.0}\" y=\"{:.0}\" width=\"84\" height=\"{h:.0}\" class=\"{class}\"/>",
                    x - 42.0,
                    y - 10.0
                );
                for (k, l) in lines.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "<text x=\"{x:.0}\" y=\"{:.0}\" class=\"label{}\">{}</text>",
                        y + 4.0 + 14.0 * k as f64,
                        if *race { " race" } else { "" },
                        esc(&l.replace("\\\"", "\""))
                    );
                }
            }
        }
    }
    out.push_str("</svg>\n");
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:0.5em 0 1.5em}\
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;font-family:monospace;font-size:13px}\
tr.race td{color:#b00}tr.preempt td{background:#fff3d6}\
.loc{color:#888}.edge{stroke:#999;stroke-width:1}.edge.bold{stroke:#222;stroke-width:3}\
.state{fill:#fff;stroke:#555}.start{fill:#fff;stroke:#222}\
.end{fill:#fff;stroke:#222}.end.race{stroke:#c00;stroke-width:2}\
.label{font-size:11px;text-anchor:middle;font-family:monospace}.label.race{fill:#c00}";

/// The page for one file's report.
pub fn render(file: &str, r: &CheckResult, picture: Option<&Picture>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>grace: {}</title><style>{STYLE}</style></head>\n<body>",
        esc(file)
    );
    let races = r.outcomes.iter().filter(|x| x.is_race()).count();
    let _ = writeln!(
        o,
        "<h1>{}</h1>\n<p class=\"summary\">memory <b>{}</b> · {} states · {} transitions · {} outcomes ({} race outcomes) · {} data races · {} leaks · {} never-ending runs{}</p>",
        esc(file),
        r.memory,
        r.stats.states,
        r.stats.transitions,
        r.outcomes.len(),
        races,
        r.races.len(),
        r.leaks.len(),
        r.never_ending.len(),
        r.limit
            .as_ref()
            .map(|l| format!(" · <b>incomplete: {}</b>", esc(l)))
            .unwrap_or_default()
    );
    o.push_str("<h2>Outcomes</h2>\n<table class=\"outcomes\"><tr><th>#</th><th>kind</th><th>class</th><th>final values</th><th>output</th><th>preemptions</th></tr>\n");
    for (i, x) in r.outcomes.iter().enumerate() {
        let class = if x.is_race() { " class=\"race\"" } else { "" };
        let _ = writeln!(
            o,
            "<tr{class}><td><a href=\"#outcome-{n}\">{n}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            x.kind.name(),
            x.class_name(),
            esc(&x.values()),
            esc(&format!("{:?}", x.output)),
            x.preemptions,
            n = i + 1
        );
    }
    o.push_str("</table>\n<h2>Witnesses</h2>\n<p>One column per goroutine; » and a shaded row mark a preemption.</p>\n");
    for (i, x) in r.outcomes.iter().enumerate() {
        let _ = writeln!(
            o,
            "<h3 id=\"outcome-{}\">Outcome #{}: {} {} — {}</h3>",
            i + 1,
            i + 1,
            x.kind.name(),
            x.class_name(),
            esc(&x.values())
        );
        if let Some(m) = &x.message {
            let _ = writeln!(o, "<p>{}: {}</p>", x.kind.name(), esc(m));
        }
        swimlanes(&mut o, &x.witness);
    }
    o.push_str("<h2>Data races</h2>\n");
    if r.races.is_empty() {
        o.push_str("<p>none</p>\n");
    }
    for (i, x) in r.races.iter().enumerate() {
        let _ = writeln!(
            o,
            "<h3>Race #{}: {} — {} by {} at {}:{}, {} by {} at {}:{}</h3>",
            i + 1,
            esc(&x.var),
            x.a.op,
            esc(&x.a.goroutine),
            x.a.line,
            x.a.col,
            x.b.op,
            esc(&x.b.goroutine),
            x.b.line,
            x.b.col
        );
        swimlanes(&mut o, &x.witness);
    }
    o.push_str("<h2>Leaks and never-ending runs</h2>\n<ul>\n");
    for l in &r.leaks {
        let _ = writeln!(
            o,
            "<li>{} blocked forever at {}:{} ({})</li>",
            esc(&l.goroutine),
            l.line,
            l.col,
            esc(&l.waiting)
        );
    }
    for n in &r.never_ending {
        let _ = writeln!(o, "<li>loops forever: {}</li>", esc(&n.describe()));
    }
    if r.leaks.is_empty() && r.never_ending.is_empty() {
        o.push_str("<li>none</li>\n");
    }
    o.push_str("</ul>\n<h2>Expects</h2>\n<ul>\n");
    for e in &r.expects {
        let _ = writeln!(
            o,
            "<li>line {}: <code>{}</code>: <b>{}</b>{}</li>",
            e.line,
            esc(&e.text),
            e.verdict.name(),
            e.error.as_ref().map_or(String::new(), |m| format!(
                ": {} at the outcome {}",
                esc(m),
                esc(e.error_at.as_deref().unwrap_or(""))
            ))
        );
    }
    if r.expects.is_empty() {
        o.push_str("<li>none</li>\n");
    }
    o.push_str("</ul>\n<h2>State graph</h2>\n");
    match picture {
        Some(p) if p.nodes.len() <= MAX_DRAWN => {
            o.push_str("<p>Boxes: where runs end (race outcomes in red). Bold: the race outcomes' witnesses. Hover an edge for its step.</p>\n");
            svg(&mut o, p);
        }
        Some(p) => {
            let _ = writeln!(
                o,
                "<p>The graph has {} drawn nodes, too many to draw here; use --dot.</p>",
                p.nodes.len()
            );
        }
        None => o.push_str("<p>not drawn</p>\n"),
    }
    o.push_str("</body>\n</html>\n");
    o
}
