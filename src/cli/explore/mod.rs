//! `grace explore FILE`: a web server on 127.0.0.1 for one program, with
//! one page (embedded: `index.html`, `app.js`, `app.css`; no network) on
//! which the learner is the scheduler, and a small JSON API (docs/CLI.md):
//!
//! - `GET /api/program`: the file's name, the model, the program's text;
//! - `GET /api/state?path=0.1.1`: the state the path reaches
//!   ([`crate::Explorer::state`]), remade from the path on each request:
//!   the server keeps nothing per client, and the URL is the whole state;
//! - `GET /api/outcomes`: the check run in the background, as it goes
//!   (progress) and when done (every finding with the path of its witness);
//! - `POST /api/stop`: stop that check (its report says so).
//!
//! No part of a request reaches the file system: the program was read once,
//! at the start, and the assets are in the binary. Requests are served by
//! a few threads of their own, so a long check never holds one up; Ctrl-C
//! or SIGTERM ends the server at once, without waiting for the check.

use super::exit::{EXIT_BAD_INPUT, EXIT_CLEAN};
use crate::api::{Explorer, Options};
use crate::search::{Cancel, Progress};
use crate::semantics::Mode;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The port `--port` defaults to.
pub(super) const DEFAULT_PORT: u16 = 4280;

/// Threads that answer requests.
const WORKERS: usize = 4;

/// The page and its script and style, as served.
const ASSETS: [(&str, &str, &str); 3] = [
    ("/", "text/html; charset=utf-8", include_str!("index.html")),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_str!("app.js"),
    ),
    (
        "/app.css",
        "text/css; charset=utf-8",
        include_str!("app.css"),
    ),
];

/// The background check, as far as it has come.
enum Background {
    /// Running; the last progress of its searches, if any yet.
    Running(Option<Progress>),
    /// Done: its findings as `/api/outcomes` gives them.
    Done(Value),
    /// It could not run (no thread for it).
    Failed(String),
}

/// What the request threads share.
struct Served {
    explorer: Explorer,
    /// The port listened on, for the `Host` header requests must carry.
    port: u16,
    check: Mutex<Background>,
    /// Stops the background check (`POST /api/stop`).
    stop: Cancel,
}

/// Serve `file` until Ctrl-C or SIGTERM raises `interrupt`; the exit status.
pub(super) fn run(
    file: &Path,
    port: u16,
    opts: Options,
    interrupt: &Cancel,
    stdout: &mut dyn Write,
) -> i32 {
    if super::is_stdin(file) {
        eprintln!(
            "grace: error: grace explore serves a program file: give its path, not `-` (standard input)"
        );
        return EXIT_BAD_INPUT;
    }
    let explorer = match Explorer::open_file(file, opts.memory) {
        Ok(e) => e,
        Err(e) => {
            eprint!("{}", super::error_text(&e));
            return EXIT_BAD_INPUT;
        }
    };
    let server = match tiny_http::Server::http(("127.0.0.1", port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!(
                "grace: error: cannot listen on 127.0.0.1:{port}: {e}{}",
                if port == 0 {
                    ""
                } else {
                    " (--port 0 picks a free port)"
                }
            );
            return EXIT_BAD_INPUT;
        }
    };
    let Some(port) = server.server_addr().to_ip().map(|a| a.port()) else {
        eprintln!("grace: error: the server has no IP address");
        return EXIT_BAD_INPUT;
    };
    let served = Arc::new(Served {
        explorer,
        port,
        check: Mutex::new(Background::Running(None)),
        stop: Cancel::default(),
    });
    for n in 0..WORKERS {
        let (server, served) = (server.clone(), served.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("grace-explore-{n}"))
            .stack_size(crate::api::STACK_BYTES)
            .spawn(move || {
                while let Ok(rq) = server.recv() {
                    answer(&served, rq);
                }
            });
        if let Err(e) = spawned {
            eprintln!("grace: error: cannot start the server's threads: {e}");
            return EXIT_BAD_INPUT;
        }
    }
    start_check(&served, opts);
    let _ = writeln!(
        stdout,
        "grace explore: {} under {} at http://127.0.0.1:{port}/ (Ctrl-C stops)",
        served.explorer.file(),
        served.explorer.memory().name()
    );
    let _ = stdout.flush();
    // The requests are answered on the threads above; this one waits for
    // Ctrl-C or SIGTERM, and then ends the process, check or not.
    while !interrupt.is_interrupted() {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    served.stop.interrupt();
    EXIT_CLEAN
}

/// Run the whole check in the background, reporting its progress into
/// `served.check` and, when done, its findings.
fn start_check(served: &Arc<Served>, opts: Options) {
    let shared = served.clone();
    let opts = Options {
        cancel: Some(served.stop.clone()),
        ..opts
    }
    .on_progress(move |p| {
        let mut c = shared.check.lock().unwrap_or_else(|e| e.into_inner());
        if let Background::Running(last) = &mut *c {
            *last = Some(*p);
        }
    });
    let mine = served.clone();
    let spawned = std::thread::Builder::new()
        .name("grace-explore-check".into())
        .spawn(move || {
            let done = match mine.explorer.check(&opts) {
                Ok(report) => Background::Done(mine.explorer.findings_json(&report)),
                Err(e) => Background::Failed(e.reason().to_string()),
            };
            *mine.check.lock().unwrap_or_else(|e| e.into_inner()) = done;
        });
    if let Err(e) = spawned {
        *served.check.lock().unwrap_or_else(|e| e.into_inner()) =
            Background::Failed(format!("cannot start the check: {e}"));
    }
}

/// A response: status, content type, body.
type Answer = (u16, &'static str, Vec<u8>);

fn json_answer(status: u16, v: &Value) -> Answer {
    let body = serde_json::to_vec(v).unwrap_or_default();
    (status, "application/json", body)
}

fn error_answer(status: u16, message: &str) -> Answer {
    json_answer(status, &json!({ "error": message }))
}

/// Answer one request. Only this server's own host names are answered (a
/// page elsewhere cannot reach it through a name that resolves to
/// 127.0.0.1), only `GET` and `POST /api/stop`.
fn answer(served: &Served, rq: tiny_http::Request) {
    let host_ok = rq
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .is_some_and(|h| {
            let host = h.value.as_str();
            host == format!("127.0.0.1:{}", served.port)
                || host == format!("localhost:{}", served.port)
        });
    let (status, kind, body) = if !host_ok {
        error_answer(
            403,
            "this server answers only http://127.0.0.1:PORT/ and http://localhost:PORT/",
        )
    } else {
        route(served, rq.method(), rq.url())
    };
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
    };
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    for h in [
        header("Content-Type", kind),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        header(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self'; img-src 'self' data:",
        ),
    ]
    .into_iter()
    .flatten()
    {
        response.add_header(h);
    }
    // a client that went away is its own business
    let _ = rq.respond(response);
}

/// What a method and URL (path and query, as the request line has them)
/// are answered with.
fn route(served: &Served, method: &tiny_http::Method, url: &str) -> Answer {
    use tiny_http::Method::{Get, Head, Post};
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    match (method, path) {
        (Post, "/api/stop") => {
            served.stop.interrupt();
            json_answer(200, &json!({ "stopping": true }))
        }
        (Get | Head, "/api/program") => json_answer(
            200,
            &json!({
                "file": served.explorer.file(),
                "memory": served.explorer.memory().name(),
                "text": served.explorer.text(),
            }),
        ),
        (Get | Head, "/api/state") => {
            let text = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("path="))
                .unwrap_or("");
            match crate::parse_path(text).and_then(|p| served.explorer.state(&p)) {
                Ok(v) => json_answer(200, &v.to_json_value()),
                Err(e) => error_answer(400, &e.to_string()),
            }
        }
        (Get | Head, "/api/outcomes") => json_answer(200, &outcomes(served)),
        (Get | Head, _) => match ASSETS.iter().find(|a| a.0 == path) {
            Some(&(_, kind, text)) => (200, kind, text.as_bytes().to_vec()),
            None => error_answer(404, "no such page: this server serves / and /api/..."),
        },
        _ => error_answer(405, "only GET (and POST /api/stop)"),
    }
}

/// `GET /api/outcomes`: how far the background check has come.
fn outcomes(served: &Served) -> Value {
    let stopping = served.stop.is_interrupted();
    match &*served.check.lock().unwrap_or_else(|e| e.into_inner()) {
        Background::Running(p) => json!({
            "state": if stopping { "stopping" } else { "running" },
            "progress": p.map(|p| json!({
                "search": match p.mode {
                    Mode::Full => "all runs",
                    Mode::Serial => "runs without preemption",
                },
                "states": p.states,
                "transitions": p.transitions,
                "outcomes": p.outcomes,
            })),
        }),
        Background::Done(findings) => json!({ "state": "done", "findings": findings }),
        Background::Failed(why) => json!({ "state": "failed", "error": why }),
    }
}
