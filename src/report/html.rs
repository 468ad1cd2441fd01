//! `--html FILE`: one self-contained page (no scripts, no network) with the
//! outcome table, the swimlane witnesses and a drawing of the state graph.
//! The markup is well-formed XML (every tag closed, text escaped), so tests
//! can parse it.

use super::dot::{Node, Picture};
use crate::analysis::{CheckResult, Outcome, WitnessStep};
use crate::state::EndKind;
use std::fmt::Write as _;

/// Pictures with more nodes than this are not drawn (use `--dot`).
const MAX_DRAWN: usize = 400;

/// Nor pictures whose runs are longer than this many steps (from the
/// first state, by the shortest way): layout-rs's time grows so fast with
/// the layers that a 50-step graph of 108 nodes took minutes, in which the
/// check answered no signal. The corpus is at most 26 deep.
const MAX_DRAWN_DEPTH: usize = 30;

/// The number of steps from the first node to the farthest one, each by
/// its shortest way.
fn depth(p: &Picture) -> usize {
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); p.nodes.len()];
    for e in &p.edges {
        if let Some(v) = next.get_mut(e.from) {
            v.push(e.to);
        }
    }
    let mut dist = vec![usize::MAX; p.nodes.len()];
    let mut queue = std::collections::VecDeque::from([0]);
    dist[0] = 0;
    let mut far = 0;
    while let Some(x) = queue.pop_front() {
        far = far.max(dist[x]);
        for &y in &next[x] {
            if dist.get(y) == Some(&usize::MAX) {
                dist[y] = dist[x] + 1;
                queue.push_back(y);
            }
        }
    }
    far
}

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

/// Width of a character of the labels (11px monospace, `.label` in
/// [`STYLE`], is about 6.6px wide), rounded up so that a label never
/// reaches past its box.
const CHAR: f64 = 7.5;
/// Height of a line of text in a box.
const LINE: f64 = 14.0;

/// The state graph as SVG, laid out by layout-rs (Sugiyama-style layers,
/// crossing reduction, Brandes–Köpf placement): every node, end boxes sized
/// by their text, gets a place of its own, so no label overlaps another.
/// Edges carry their step as a tooltip.
fn svg(out: &mut String, p: &Picture) {
    use layout::core::base::Orientation;
    use layout::core::geometry::Point;
    use layout::core::style::StyleAttr;
    use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
    use layout::topo::layout::VisualGraph;
    if p.nodes.is_empty() {
        return;
    }
    let dir = Orientation::TopToBottom;
    let look = StyleAttr::simple();
    let mut vg = VisualGraph::new(dir);
    let handles: Vec<_> = p
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let (shape, size) = match node {
                Node::Start => (ShapeKind::new_circle("start"), Point::new(44.0, 44.0)),
                Node::Plain => (ShapeKind::new_circle(""), Point::new(10.0, 10.0)),
                Node::End { label, .. } => {
                    let lines = end_lines(label);
                    let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
                    let size = Point::new(
                        widest as f64 * CHAR + 16.0,
                        lines.len() as f64 * LINE + 10.0,
                    );
                    (ShapeKind::new_box(&lines.join("\n")), size)
                }
            };
            let e = Element::create_with_properties(shape, look.clone(), dir, size, i.to_string());
            vg.add_node(e)
        })
        .collect();
    for (k, e) in p.edges.iter().enumerate() {
        let (Some(&a), Some(&b)) = (handles.get(e.from), handles.get(e.to)) else {
            continue;
        };
        vg.add_edge(Arrow::simple_with_properties("", k.to_string()), a, b);
    }
    let mut pen = Pen {
        picture: p,
        body: String::new(),
        far: Point::new(0.0, 0.0),
    };
    // layout-rs checks its invariants with asserts: a graph it cannot lay
    // out is a bug there or here, which must not cost the rest of the page
    let laid = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        vg.do_it(false, false, false, &mut pen)
    }));
    if laid.is_err() {
        out.push_str("<p>The graph could not be laid out; use --dot.</p>\n");
        return;
    }
    let (w, h) = (pen.far.x + 10.0, pen.far.y + 10.0);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\">"
    );
    out.push_str("<defs><marker id=\"head\" markerUnits=\"userSpaceOnUse\" markerWidth=\"8\" markerHeight=\"6\" refX=\"8\" refY=\"3\" orient=\"auto\"><polygon points=\"0 0, 8 3, 0 6\" class=\"head\"/></marker></defs>\n");
    out.push_str(&pen.body);
    out.push_str("</svg>\n");
}

/// An end node's label as lines: DOT-style, `\n` separates lines and `\\n`
/// is an escaped newline inside a value.
fn end_lines(label: &str) -> Vec<String> {
    label
        .replace("\\\\n", "⏎")
        .split("\\n")
        .map(|l| l.replace("\\\"", "\""))
        .collect()
}

/// Draws what layout-rs placed, in the page's classes: each element and
/// arrow carries its index in the picture as its "properties".
struct Pen<'a> {
    picture: &'a Picture,
    body: String,
    /// The bottom-right corner of everything drawn so far.
    far: layout::core::geometry::Point,
}

impl Pen<'_> {
    fn reach(&mut self, x: f64, y: f64) {
        self.far.x = self.far.x.max(x);
        self.far.y = self.far.y.max(y);
    }

    fn node(&self, props: &Option<String>) -> Option<&Node> {
        let i: usize = props.as_deref()?.parse().ok()?;
        self.picture.nodes.get(i)
    }
}

impl layout::core::format::RenderBackend for Pen<'_> {
    fn draw_rect(
        &mut self,
        xy: layout::core::geometry::Point,
        size: layout::core::geometry::Point,
        _look: &layout::core::style::StyleAttr,
        props: Option<String>,
        _clip: Option<layout::core::format::ClipHandle>,
    ) {
        let Some(Node::End { label, race }) = self.node(&props).cloned() else {
            return;
        };
        self.reach(xy.x + size.x, xy.y + size.y);
        let class = if race { "end race" } else { "end" };
        let _ = writeln!(
            self.body,
            "<rect x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\" class=\"{class}\"/>",
            xy.x, xy.y, size.x, size.y
        );
        // the text, from the picture rather than from draw_text: it knows the class
        let lines = end_lines(&label);
        let cx = xy.x + size.x / 2.0;
        let top = xy.y + size.y / 2.0 - LINE * (lines.len() as f64 - 1.0) / 2.0 + 4.0;
        for (k, l) in lines.iter().enumerate() {
            let _ = writeln!(
                self.body,
                "<text x=\"{cx:.0}\" y=\"{:.0}\" class=\"label{}\">{}</text>",
                top + LINE * k as f64,
                if race { " race" } else { "" },
                esc(l)
            );
        }
    }

    fn draw_line(
        &mut self,
        _start: layout::core::geometry::Point,
        _stop: layout::core::geometry::Point,
        _look: &layout::core::style::StyleAttr,
        _props: Option<String>,
    ) {
        // layout-rs draws lines only in its debug mode
    }

    fn draw_circle(
        &mut self,
        xy: layout::core::geometry::Point,
        size: layout::core::geometry::Point,
        _look: &layout::core::style::StyleAttr,
        props: Option<String>,
    ) {
        let (r, class, text) = match self.node(&props) {
            Some(Node::Start) => (size.x / 2.0, "start", Some("start")),
            Some(Node::Plain) => (5.0, "state", None),
            _ => return,
        };
        self.reach(xy.x + r, xy.y + r);
        let _ = write!(
            self.body,
            "<circle cx=\"{:.0}\" cy=\"{:.0}\" r=\"{r:.0}\" class=\"{class}\"/>",
            xy.x, xy.y
        );
        if let Some(t) = text {
            let _ = write!(
                self.body,
                "<text x=\"{:.0}\" y=\"{:.0}\" class=\"label\">{t}</text>",
                xy.x,
                xy.y + 4.0
            );
        }
        self.body.push('\n');
    }

    fn draw_text(
        &mut self,
        _xy: layout::core::geometry::Point,
        _text: &str,
        _look: &layout::core::style::StyleAttr,
    ) {
        // drawn with their shapes, which know the node
    }

    fn draw_arrow(
        &mut self,
        path: &[(layout::core::geometry::Point, layout::core::geometry::Point)],
        _dashed: bool,
        _head: (bool, bool),
        _look: &layout::core::style::StyleAttr,
        props: Option<String>,
        _text: &str,
    ) {
        let Some(e) = props
            .as_deref()
            .and_then(|k| k.parse::<usize>().ok())
            .and_then(|k| self.picture.edges.get(k))
        else {
            return;
        };
        let [(m, c1), (c2, end), rest @ ..] = path else {
            return;
        };
        let mut d = format!(
            "M {:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
            m.x, m.y, c1.x, c1.y, c2.x, c2.y, end.x, end.y
        );
        for (c, q) in rest {
            d.push_str(&format!(" S {:.1} {:.1}, {:.1} {:.1}", c.x, c.y, q.x, q.y));
        }
        for (a, b) in path {
            self.reach(a.x.max(b.x), a.y.max(b.y));
        }
        let label = if e.steps == 1 {
            e.label.clone()
        } else {
            format!("{} … ({} steps)", e.label, e.steps)
        };
        let _ = writeln!(
            self.body,
            "<path d=\"{d}\" class=\"{}\" marker-end=\"url(#head)\"><title>{}</title></path>",
            if e.bold { "edge bold" } else { "edge" },
            esc(&label)
        );
    }

    fn create_clip(
        &mut self,
        _xy: layout::core::geometry::Point,
        _size: layout::core::geometry::Point,
        _rounded_px: usize,
    ) -> layout::core::format::ClipHandle {
        // only records use clips, and the picture has none
        0
    }
}

/// Where each goroutine waits in a deadlock, as the text report lists it.
fn blocked(o: &mut String, x: &Outcome) {
    if x.kind != EndKind::Deadlock || x.blocked.is_empty() {
        return;
    }
    o.push_str("<ul class=\"blocked\">\n");
    for p in &x.blocked {
        let _ = writeln!(
            o,
            "<li>{} blocked at <span class=\"loc\">{}:{}</span> ({})</li>",
            esc(&p.goroutine),
            p.line,
            p.col,
            esc(&p.at)
        );
    }
    o.push_str("</ul>\n");
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:0.5em 0 1.5em}\
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;font-family:monospace;font-size:13px}\
tr.race td{color:#b00}tr.preempt td{background:#fff3d6}\
.loc{color:#888}.edge{stroke:#999;stroke-width:1;fill:none}.edge.bold{stroke:#222;stroke-width:3}.head{fill:#777}\
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
    let c = super::counts(r);
    let _ = writeln!(
        o,
        "<h1>{}</h1>\n<p class=\"summary\">memory <b>{}</b> · {} · {} · {} ({}) · {} · {} · {}{}</p>",
        esc(file),
        r.memory,
        c.states,
        c.transitions,
        c.outcomes,
        c.races,
        c.data_races,
        c.leaks,
        c.never,
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
        if let Some(m) = x.message_line() {
            let _ = writeln!(o, "<p>{}</p>", esc(&m));
        }
        blocked(&mut o, x);
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
        Some(p) if !p.nodes.is_empty() && depth(p) > MAX_DRAWN_DEPTH => {
            let _ = writeln!(
                o,
                "<p>The graph's runs are {} steps long, too long to draw here; use --dot.</p>",
                depth(p)
            );
        }
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
