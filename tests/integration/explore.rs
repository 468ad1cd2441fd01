//! `grace explore`: the server's API and contract (loopback only, one file,
//! the same bytes for the same path, bad options refused with exit 2), and
//! the page driven in headless Chromium through WebDriver (Debian's
//! `chromium-driver`: `chromedriver`, plain HTTP and JSON), which clicks
//! through the lost update of programs/bank.gr.
//!
//! Without chromedriver or chromium the browser test is skipped, unless
//! `GRACE_BROWSER=required` (set by `.ci/run`, which installs both).
//! `GRACE_SCREENSHOT=FILE` also writes the page's screenshot there (the
//! README's `docs/explore.png` is made so).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One HTTP/1.1 request to 127.0.0.1:`port`, with this `Host` header:
/// the status and the body.
fn http_as(port: u16, host: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // read the head, then the body by its length (chromedriver keeps the
    // connection open whatever the request says)
    let mut r = BufReader::new(s);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let mut body = Vec::new();
    if let Some(n) = header("content-length").and_then(|n| n.parse::<usize>().ok()) {
        body.resize(n, 0);
        r.read_exact(&mut body).unwrap();
    } else if header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        r.read_to_end(&mut body).unwrap();
    }
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn http(port: u16, method: &str, path: &str) -> (u16, String) {
    http_as(port, &format!("127.0.0.1:{port}"), method, path, None)
}

/// Wait until `done` holds (at most 30 s), asking every 50 ms.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `grace explore` running; killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_grace"))
            .arg("explore")
            .args(args)
            .args(["--port", "0"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run grace explore");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("no URL printed: {line:?}; stderr: {err}");
        };
        Server { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn get(&self, path: &str) -> (u16, String) {
        http(self.port, "GET", path)
    }

    /// `GET /api/outcomes` once the check is done.
    fn findings(&self) -> Value {
        let mut out = Value::Null;
        wait_for("the background check", || {
            let v: Value = serde_json::from_str(&self.get("/api/outcomes").1).unwrap();
            if v["state"] == "done" {
                out = v["findings"].clone();
            }
            !out.is_null()
        });
        out
    }

    /// End the server as Ctrl-C or a service manager would: its status.
    fn terminate(mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().ok()?.code()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn explore_serves_the_page_and_the_json_api_of_one_program() {
    let server = Server::start(&["programs/bank.gr"]);
    let (code, page) = server.get("/");
    assert_eq!(code, 200);
    assert!(page.contains("<script src=\"/app.js\""), "{page}");
    assert!(
        !page.contains("http"),
        "every asset is served from here: {page}"
    );
    for asset in ["/app.js", "/app.css"] {
        let (code, text) = server.get(asset);
        assert_eq!(code, 200, "{asset}");
        // (an SVG element's namespace is a name, not a place to go)
        let text = text.replace("'http://www.w3.org/2000/svg'", "");
        assert!(!text.contains("://"), "{asset} reaches out");
    }
    let program: Value = serde_json::from_str(&server.get("/api/program").1).unwrap();
    assert_eq!(program["file"], "programs/bank.gr");
    assert_eq!(program["memory"], "go");
    assert_eq!(
        program["text"],
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("programs/bank.gr"))
            .unwrap()
    );

    // a path is the whole state: the same bytes every time, from any server
    let (code, once) = server.get("/api/state?path=0.0.0.1.0");
    assert_eq!(code, 200);
    assert_eq!(server.get("/api/state?path=0.0.0.1.0").1, once);
    let other = Server::start(&["programs/bank.gr"]);
    assert_eq!(other.get("/api/state?path=0.0.0.1.0").1, once);
    let v: Value = serde_json::from_str(&once).unwrap();
    assert_eq!(v["path"], "0.0.0.1.0");
    assert_eq!(v["taken"][4]["preemption"], true, "{v}");
    let steps: Vec<&str> = v["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["write balance = 200", "write balance = 100"]);
    insta::assert_snapshot!(
        "explore_state_bank_go",
        serde_json::to_string_pretty(&v).unwrap()
    );

    // bad paths are answered, never followed
    for (path, code) in [
        ("/api/state?path=0.7", 400),
        ("/api/state?path=0..1", 400),
        ("/api/state?path=%2E%2E", 400),
        ("/../Cargo.toml", 404),
        ("/programs/bank.gr", 404),
        ("/src/cli/explore/app.js", 404),
    ] {
        let (got, body) = server.get(path);
        assert_eq!(got, code, "{path}: {body}");
        let e: Value = serde_json::from_str(&body).unwrap();
        assert!(e["error"].is_string(), "{path}: {body}");
    }
    // only this server's own names (no page elsewhere reaches it through
    // a name of its own that resolves to 127.0.0.1), only GET and the stop
    let (code, _) = http_as(server.port, "evil.example:80", "GET", "/api/program", None);
    assert_eq!(code, 403);
    let (code, _) = http_as(
        server.port,
        &format!("localhost:{}", server.port),
        "GET",
        "/api/program",
        None,
    );
    assert_eq!(code, 200);
    assert_eq!(http(server.port, "POST", "/api/state").0, 405);
    assert_eq!(http(server.port, "DELETE", "/").0, 405);

    // the check's findings, each with the path that plays its witness
    let f = server.findings();
    assert_eq!(f["complete"], true);
    let lost = f["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["values"] == "balance=100")
        .unwrap();
    assert_eq!(lost["race_outcome"], true);
    let end: Value = serde_json::from_str(
        &server
            .get(&format!(
                "/api/state?path={}",
                lost["path"].as_str().unwrap()
            ))
            .1,
    )
    .unwrap();
    assert_eq!(end["end"]["values"], "balance=100");
    assert_eq!(f["races"].as_array().unwrap().len(), 2);

    assert_eq!(
        server.terminate(),
        Some(0),
        "SIGTERM ends the server: exit 0"
    );
}

#[test]
fn explore_stop_ends_a_long_check_and_requests_are_answered_meanwhile() {
    // millions of states: the check runs long, the server answers at once
    let server = Server::start(&["bench/incr_n5_k3.gr", "--memory", "sc", "--no-reduction"]);
    let t = Instant::now();
    let (code, _) = server.get("/api/state?path=0.0.0");
    assert_eq!(code, 200);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    let running: Value = serde_json::from_str(&server.get("/api/outcomes").1).unwrap();
    assert_eq!(running["state"], "running", "{running}");
    assert_eq!(http(server.port, "POST", "/api/stop").0, 200);
    let f = server.findings();
    assert_eq!(f["complete"], false);
    assert!(
        f["limit"].as_str().unwrap().contains("interrupt"),
        "{}",
        f["limit"]
    );
    let t = Instant::now();
    assert_eq!(server.terminate(), Some(0));
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn explore_refuses_bad_options_with_exit_2() {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("explore-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.gr");
    std::fs::write(&broken, "func main() {\n\tx := \n}\n").unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port().to_string();
    let cases: [(&[&str], &str); 6] = [
        (&["programs/bank.gr", "--port", "99999"], "99999"),
        (&["programs/bank.gr", "--port", "http"], "--port"),
        (
            &["programs/bank.gr", "--port", &busy_port],
            "cannot listen on 127.0.0.1",
        ),
        (&["programs/no_such.gr"], "programs/no_such.gr"),
        (&[broken.to_str().unwrap()], "broken.gr:2:"),
        (&["-"], "not `-`"),
    ];
    for (args, says) in cases {
        let (code, out, err) = crate::cli::grace(&[&["explore"], args].concat());
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("internal error"), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
    drop(busy);
}

/// chromedriver, from `GRACE_CHROMEDRIVER` or the PATH.
fn chromedriver() -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os("GRACE_CHROMEDRIVER") {
        return Ok(PathBuf::from(d));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("chromedriver"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            "no chromedriver on the PATH (Debian: apt-get install chromium-driver)".into()
        })
}

/// A WebDriver session of headless Chromium; ended when dropped.
struct Driver {
    child: Child,
    port: u16,
    session: String,
}

/// The key WebDriver gives an element reference under.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    fn start(driver: &Path, browser: &Path, profile: &Path) -> Driver {
        let mut child = Command::new(driver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", driver.display()));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = loop {
            let line = lines.next().and_then(Result::ok).unwrap_or_else(|| {
                let _ = child.kill();
                panic!("chromedriver said no port")
            });
            if let Some(p) = line.split("started successfully on port ").nth(1) {
                break p.trim_end_matches('.').parse().unwrap();
            }
        };
        // the rest of its output is not read: let it drain
        std::thread::spawn(move || lines.for_each(drop));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": browser,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--hide-scrollbars", "--force-device-scale-factor=1", "--no-first-run",
                         "--window-size=1400,1100",
                         format!("--user-data-dir={}", profile.display())]
            }
        }}});
        // dropped (chromedriver ended) if the session cannot be made
        let mut d = Driver {
            child,
            port,
            session: String::new(),
        };
        let (code, body) = http_as(
            port,
            &format!("127.0.0.1:{port}"),
            "POST",
            "/session",
            Some(&caps),
        );
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let Some(session) = v["value"]["sessionId"].as_str() else {
            panic!("no WebDriver session ({code}): {body}");
        };
        d.session = session.to_string();
        d
    }

    /// A command of the session: its `value`.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("/session/{}{path}", self.session);
        let host = format!("127.0.0.1:{}", self.port);
        let body = body.or_else(|| (method == "POST").then(|| json!({})));
        let (code, text) = http_as(self.port, &host, method, &url, body.as_ref());
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_eq!(code, 200, "{method} {path}: {text}");
        v["value"].clone()
    }

    fn open(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    fn text(&self, el: &str) -> String {
        self.cmd("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn attr(&self, el: &str, name: &str) -> Option<String> {
        self.cmd("GET", &format!("/element/{el}/attribute/{name}"), None)
            .as_str()
            .map(String::from)
    }

    fn click(&self, el: &str) {
        self.cmd("POST", &format!("/element/{el}/click"), None);
    }

    /// The text of the first element `css` selects ("" if none).
    fn text_of(&self, css: &str) -> String {
        self.find_all(css)
            .first()
            .map(|e| self.text(e))
            .unwrap_or_default()
    }

    /// The path of the state the page shows, once it shows one.
    fn shown_path(&self) -> Option<String> {
        let body = self.find_all("body");
        self.attr(&body[0], "data-path")
    }

    fn screenshot(&self) -> Vec<u8> {
        let b64 = self.cmd("GET", "/screenshot", None);
        base64(b64.as_str().unwrap())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // ends the browser (a panic here would abort the test binary)
        if !self.session.is_empty() {
            let url = format!("/session/{}", self.session);
            let host = format!("127.0.0.1:{}", self.port);
            let _ = std::panic::catch_unwind(|| http_as(self.port, &host, "DELETE", &url, None));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64(text: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= (val(c) as u32) << (18 - 6 * i);
        }
        out.extend(n.to_be_bytes()[1..chunk.len()].iter());
    }
    out
}

/// Click the step `goroutine` can take that starts with `step`, and wait
/// for the page to show the state it leads to.
fn take(d: &Driver, goroutine: &str, step: &str) {
    let before = d.shown_path().unwrap_or_default();
    let buttons = d.find_all("#choices button.choice");
    let mut offered = Vec::new();
    let pick = buttons.iter().find(|b| {
        let g = d.attr(b, "data-goroutine").unwrap_or_default();
        let s = d.attr(b, "data-step").unwrap_or_default();
        offered.push(format!("{g}: {s}"));
        g == goroutine && s.starts_with(step)
    });
    let Some(b) = pick else {
        panic!("no step {goroutine}: {step} at #path={before}; offered: {offered:?}")
    };
    let k = d.attr(b, "data-choice").unwrap();
    d.click(b);
    let want = if before.is_empty() {
        k
    } else {
        format!("{before}.{k}")
    };
    wait_for(&format!("#path={want}"), || {
        d.shown_path().as_deref() == Some(&want)
    });
}

#[test]
fn explore_in_a_browser_clicks_through_the_lost_update() {
    let required = std::env::var("GRACE_BROWSER").is_ok_and(|v| v == "required");
    let tools = crate::browser::browser().and_then(|b| Ok((b, chromedriver()?)));
    let (browser, driver) = match tools {
        Ok(t) => t,
        Err(why) => {
            assert!(!required, "GRACE_BROWSER=required: {why}");
            eprintln!("skipped: {why}; set GRACE_BROWSER=required to fail instead");
            return;
        }
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("explore-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = Server::start(&["programs/bank.gr"]);
    let d = Driver::start(&driver, &browser, &dir.join("profile"));
    d.open(&server.url());
    wait_for("the initial state", || {
        d.shown_path().as_deref() == Some("")
    });
    assert!(d.text_of("#file").contains("programs/bank.gr"));

    // main starts both deposits; Bob reads 0, then Alice, preempting him
    take(&d, "main", "wg.Add(2)");
    take(&d, "main", "go func@38:5()");
    take(&d, "main", "go func@42:5()");
    take(&d, "func@42:5#1", "read balance = 0");
    take(&d, "func@38:5#1", "read balance = 0");
    // Alice deposits 200 and is done; Bob, about to write, races with her
    take(&d, "func@38:5#1", "write balance = 200");
    take(&d, "func@38:5#1", "wg.Done()");
    let bob = d.find_all("#choices button[data-goroutine=\"func@42:5#1\"]");
    assert_eq!(bob.len(), 1);
    assert!(
        d.text(&bob[0]).contains("data race on balance"),
        "{}",
        d.text(&bob[0])
    );
    // the check in the background has listed the outcomes by now
    wait_for("the outcomes", || {
        !d.find_all("#outcomes li.race-outcome").is_empty()
    });
    let shot = d.screenshot();
    if let Some(to) = std::env::var_os("GRACE_SCREENSHOT") {
        std::fs::write(&to, &shot).unwrap();
    }
    std::fs::write(dir.join("explore.png"), &shot).unwrap();
    assert!(shot.starts_with(b"\x89PNG"), "a PNG");
    // ... and overwrites it with 100: Alice's deposit is lost
    take(&d, "func@42:5#1", "write balance = 100");
    take(&d, "func@42:5#1", "wg.Done()");
    take(&d, "main", "wg.Wait()");
    take(&d, "main", "read balance = 100");
    while d.find_all("#end:not([hidden])").is_empty() {
        let only = d.find_all("#choices button.choice");
        assert_eq!(only.len(), 1, "only main is left");
        let what = d.attr(&only[0], "data-step").unwrap();
        take(&d, "main", &what);
    }
    let end = d.text_of("#end");
    assert!(end.contains("balance=100"), "{end}");
    wait_for("the end marked a race outcome", || {
        d.text_of("#end").contains("race outcome")
    });
    let lost = d.text_of("#outcomes li.here");
    assert!(
        lost.contains("balance=100") && lost.contains("race outcome"),
        "{lost}"
    );
    // the swimlanes show the preemption and the racing steps
    assert_eq!(d.find_all("#lanes tr.preempt").len(), 1);
    assert!(d.find_all("#lanes td.race").len() >= 3);
    // the link is the path: opened afresh, it shows the same state
    let path = d.shown_path().unwrap();
    assert_eq!(path.split('.').count(), 13, "{path}");
    let href = d.attr(&d.find_all("#share")[0], "href").unwrap();
    assert!(href.ends_with(&format!("#path={path}")), "{href}");
    d.open(&format!("{}#path=0.0.0", server.url()));
    wait_for("#path=0.0.0", || d.shown_path().as_deref() == Some("0.0.0"));
    d.open(&format!("{}#path={path}", server.url()));
    wait_for("the shared link", || {
        d.shown_path().as_deref() == Some(path.as_str())
    });
    assert!(d.text_of("#end").contains("balance=100"));

    // the other lost update, from its witness; back and forward
    let other = d
        .find_all("#outcomes li")
        .into_iter()
        .find(|li| d.text(li).contains("balance=200"))
        .unwrap();
    let witness = server.findings()["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["values"] == "balance=200")
        .unwrap()["path"]
        .as_str()
        .unwrap()
        .to_string();
    let jump = d.find_all(&format!(
        "#outcomes li[data-outcome=\"{}\"] button.jump",
        d.attr(&other, "data-outcome").unwrap()
    ));
    d.click(&jump[0]);
    wait_for("the witness's end", || {
        d.shown_path().as_deref() == Some(witness.as_str())
    });
    assert!(d.text_of("#end").contains("balance=200"));
    d.click(&d.find_all("#back")[0]);
    let shorter = witness.rsplit_once('.').unwrap().0.to_string();
    wait_for("back", || {
        d.shown_path().as_deref() == Some(shorter.as_str())
    });
    d.click(&d.find_all("#forward")[0]);
    wait_for("forward", || {
        d.shown_path().as_deref() == Some(witness.as_str())
    });
}
