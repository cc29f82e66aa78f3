//! The live preview: a small HTTP server on 127.0.0.1 and its page.
//!
//! Routes (DESIGN.md, "The live preview's HTTP routes"):
//! - `GET /` the page (self-contained HTML, CSS and script; no external URL).
//! - `GET /layouts` the designs as JSON: the bundled ones, and the note's own.
//! - `GET /note` the note the server was started with (or a starter note),
//!   as JSON fields for the page.
//! - `POST /preview?layout=NAME&dpi=N&guides=1` with a note's TOML as the
//!   body: `image/png`, or 422 with `{"diagnostics": [...]}`.
//! - `POST /pdf?layout=NAME&standard=a-1b`: `application/pdf` (to a PDF
//!   standard when asked, as `render --pdf-standard`), or 422 as above.
//! - `POST /check?layout=NAME`: JSON, the same as `check --format json`.
//! - `POST /save`: writes the body over the note file the server was started
//!   with (atomically, that file only; 404 when there is none).
//!
//! Every request must name the loopback address in its `Host` header
//! (`127.0.0.1:PORT` or `localhost:PORT`), so a web page on another site
//! cannot reach the server through a DNS name rebound to 127.0.0.1 (403
//! otherwise); a `POST` that carries an `Origin` must come from the page
//! itself (403 otherwise), so another site cannot make the browser save
//! over the note. Bodies are limited to `MAX_BODY` bytes (413), and a
//! request's body is read on its own thread before it takes a turn to draw,
//! so a client that stalls mid-body holds up no other.
//!
//! `layout` may only name a bundled design or the design the starting note
//! names: the server reads no other design file a request asks for.

use crate::check::{check_json, diagnostics_json};
use crate::diag::{Diagnostic, Place, Result};
use crate::export::pdf::{try_write_pdf, PdfOptions, PdfStandard};
use crate::export::png::{self, PngOptions};
use crate::input::{bundled, note::parse_note, Design};
use crate::io::{Commit, Plan};
use crate::layout::layout_card;
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use tiny_http::{Header, Method, Request, Response};

/// The page, with its style and script.
pub const PAGE: &str = include_str!("page.html");

/// The largest request body read, in bytes (a note is at most a few KiB).
pub const MAX_BODY: usize = 256 * 1024;

/// Requests drawn at once (the page asks for a preview and a check at
/// once); more wait for a turn. Each request has a thread of its own and
/// reads its body before it takes a turn, so clients that stall while
/// sending one (tiny_http has no read timeout) hold no turn and delay no one.
const TURNS: usize = 4;

/// At most [`TURNS`] requests drawn at once.
struct Turns {
    free: Mutex<usize>,
    freed: Condvar,
}

/// A turn taken; given back when dropped.
struct Turn<'a>(&'a Turns);

impl Turns {
    fn new() -> Turns {
        Turns {
            free: Mutex::new(TURNS),
            freed: Condvar::new(),
        }
    }

    fn take(&self) -> Turn<'_> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        Turn(self)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.freed.notify_one();
    }
}

/// A bound server, not yet answering.
pub struct Server {
    http: tiny_http::Server,
    state: Arc<State>,
}

struct State {
    port: u16,
    /// The note file to save to, when the server was started with one.
    note_path: Option<PathBuf>,
    /// The note's text when the server started (a starter note without one).
    note_text: String,
    /// The design file the starting note names, if it names a file.
    own_layout: Option<String>,
    turns: Turns,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0: any free port) and reads the note, if
    /// given. A note path that does not exist yet starts from the starter
    /// note and is created by the first save.
    pub fn bind(port: u16, note: Option<&Path>) -> Result<Server> {
        let (note_text, own_layout) = match note {
            Some(p) if p.exists() => {
                let text = bundled::read_text_as(p, None, "the note")?;
                let layout = layout_of(p, &text)?;
                let own = layout.filter(|l| !bundled::names().contains(&l.as_str()));
                (text, own)
            }
            _ => (crate::input::note::STARTER_NOTE.to_string(), None),
        };
        let http = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
            Diagnostic::for_option("port", format!("cannot listen on 127.0.0.1:{port}: {e}"))
                .hint("choose another port, or 0 for any free one")
        })?;
        let port = http.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
        Ok(Server {
            http,
            state: Arc::new(State {
                port,
                note_path: note.map(Path::to_path_buf),
                note_text,
                own_layout,
                turns: Turns::new(),
            }),
        })
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.state.port
    }

    /// The page's address: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.state.port)
    }

    /// Answers requests until the process ends, each on a thread of its
    /// own that reads the request's body before it waits for a turn to
    /// draw: a client that stalls mid-body holds up no one.
    pub fn run(self) {
        while let Ok(request) = self.http.recv() {
            let state = Arc::clone(&self.state);
            // Should no thread be had, the request is dropped unanswered
            // and tiny_http closes its connection.
            let _ = std::thread::Builder::new()
                .name("serve".into())
                .spawn(move || state.answer(request));
        }
    }
}

/// The `layout` a note's text names, if it parses that far.
fn layout_of(path: &Path, text: &str) -> Result<Option<String>> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| crate::input::toml_error(path, text, &e))?;
    Ok(table
        .get("layout")
        .and_then(|v| v.as_str())
        .map(str::to_string))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    // A whole body with its length, never chunked: every reply is in memory.
    Response::from_data(body)
        .with_chunked_threshold(usize::MAX)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn json_reply(status: u16, v: &Value) -> Reply {
    reply(status, "application/json", v.to_string().into_bytes())
}

fn text_reply(status: u16, text: &str) -> Reply {
    reply(
        status,
        "text/plain; charset=utf-8",
        format!("{text}\n").into_bytes(),
    )
}

fn diagnostics_reply(status: u16, e: &crate::diag::Error) -> Reply {
    json_reply(
        status,
        &json!({"diagnostics": diagnostics_json(e.diagnostics())}),
    )
}

/// The query of a URL as decoded pairs.
fn query(url: &str) -> Vec<(String, String)> {
    let Some((_, q)) = url.split_once('?') else {
        return Vec::new();
    };
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

impl State {
    fn header<'r>(&self, request: &'r Request, name: &'static str) -> Option<&'r str> {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str())
    }

    /// Whether a Host (or an Origin without its scheme) names this server.
    fn is_loopback(&self, host: &str) -> bool {
        host == format!("127.0.0.1:{}", self.port) || host == format!("localhost:{}", self.port)
    }

    fn answer(&self, mut request: Request) {
        let response = self.route(&mut request);
        let _ = request.respond(response);
    }

    fn route(&self, request: &mut Request) -> Reply {
        match self.header(request, "Host") {
            Some(h) if self.is_loopback(h) => {}
            _ => {
                return text_reply(
                    403,
                    "refused: the Host header must be 127.0.0.1:PORT or localhost:PORT",
                )
            }
        }
        let url = request.url().to_string();
        let path = url.split('?').next().unwrap_or("");
        let method = request.method().clone();
        if method == Method::Post {
            if let Some(origin) = self.header(request, "Origin") {
                if !origin
                    .strip_prefix("http://")
                    .is_some_and(|o| self.is_loopback(o))
                {
                    return text_reply(403, "refused: a request from another site");
                }
            }
        }
        match (method, path) {
            (Method::Get, "/") => {
                reply(200, "text/html; charset=utf-8", PAGE.into()).with_header(header(
                    "Content-Security-Policy",
                    "default-src 'none'; img-src 'self' blob: data:; style-src 'unsafe-inline'; \
                     script-src 'unsafe-inline'; connect-src 'self'",
                ))
            }
            (Method::Get, "/layouts") => json_reply(200, &self.layouts()),
            (Method::Get, "/note") => json_reply(200, &self.note()),
            (Method::Post, "/preview" | "/pdf" | "/check" | "/save") => {
                let body = match read_body(request) {
                    Ok(b) => b,
                    Err(r) => return r,
                };
                let _turn = self.turns.take();
                let q = query(&url);
                match path {
                    "/preview" => self.preview(&body, &q),
                    "/pdf" => self.pdf(&body, &q),
                    "/check" => self.check(&body, &q),
                    _ => self.save(&body),
                }
            }
            (_, "/" | "/layouts" | "/note" | "/preview" | "/pdf" | "/check" | "/save") => {
                text_reply(405, "method not allowed")
            }
            _ => text_reply(404, "not found"),
        }
    }

    fn layouts(&self) -> Value {
        let mut list: Vec<Value> = bundled::BUNDLED
            .iter()
            .filter_map(|(name, _)| {
                let d = bundled::bundled(name)?.ok()?;
                Some(json!({
                    "name": name,
                    "description": d.description,
                    "width": (d.width.0 * 100.0).round() / 100.0,
                    "height": (d.height.0 * 100.0).round() / 100.0,
                    "bundled": true,
                }))
            })
            .collect();
        if let Some(own) = &self.own_layout {
            let design = self.resolve(own);
            list.insert(
                0,
                json!({
                    "name": own,
                    "description": "the note's own design",
                    "width": design.as_ref().map(|d| d.width.0).ok(),
                    "height": design.as_ref().map(|d| d.height.0).ok(),
                    "bundled": false,
                }),
            );
        }
        Value::Array(list)
    }

    fn note(&self) -> Value {
        let table: toml::Table = toml::from_str(&self.note_text).unwrap_or_default();
        let field = |k: &str| table.get(k).and_then(|v| v.as_str()).unwrap_or("");
        let mut extra = table.clone();
        for k in ["layout", "greeting", "body", "closing", "signer"] {
            extra.remove(k);
        }
        json!({
            "file": self.note_path.as_ref().map(|p| p.display().to_string()),
            "save": self.note_path.is_some(),
            "layout": table.get("layout").and_then(|v| v.as_str()).unwrap_or(bundled::DEFAULT),
            "greeting": field("greeting"),
            "body": field("body"),
            "closing": field("closing"),
            "signer": field("signer"),
            "extra": toml::to_string(&extra).unwrap_or_default(),
        })
    }

    /// Where a note from a request is taken to be: the starting note's path
    /// (its relative paths resolve beside it), or `note.toml` here.
    fn note_path(&self) -> PathBuf {
        self.note_path
            .clone()
            .unwrap_or_else(|| PathBuf::from("note.toml"))
    }

    fn resolve(&self, layout: &str) -> Result<Design> {
        let path = self.note_path();
        let base = path.parent().unwrap_or(Path::new(""));
        bundled::resolve(layout, base, None)
    }

    /// The design a request asks for: `layout` (a bundled name or the
    /// starting note's own design), else the note's `layout` if it is one of
    /// those, else the default.
    fn design(&self, note_layout: Option<&str>, q: &[(String, String)]) -> Result<Design> {
        let asked = q
            .iter()
            .find(|(k, _)| k == "layout")
            .map(|(_, v)| v.as_str())
            .or(note_layout)
            .unwrap_or(bundled::DEFAULT);
        let allowed =
            bundled::names().contains(&asked) || self.own_layout.as_deref() == Some(asked);
        if !allowed {
            let mut names = bundled::names();
            names.extend(self.own_layout.as_deref());
            let d = Diagnostic::for_option("layout", format!("unknown layout \"{asked}\""));
            let d = match crate::diag::closest(asked, names.iter().copied()) {
                Some(near) => d.hint(format!("did you mean \"{near}\"?")),
                None => d,
            };
            return Err(d.hint(format!("available: {}", names.join(", "))).into());
        }
        self.resolve(asked)
    }

    fn note_from(&self, body: &[u8]) -> Result<crate::input::Note> {
        let path = self.note_path();
        let text = std::str::from_utf8(body)
            .map_err(|_| Diagnostic::at(Place::file(&path), "the note is not UTF-8 text"))?;
        parse_note(&path, text)
    }

    fn card(
        &self,
        body: &[u8],
        q: &[(String, String)],
    ) -> Result<(Design, Result<crate::layout::Card>)> {
        let note = self.note_from(body)?;
        let design = self.design(note.layout.as_deref(), q)?;
        let card = layout_card(&note, &design);
        Ok((design, card))
    }

    fn preview(&self, body: &[u8], q: &[(String, String)]) -> Reply {
        let flag = |name: &str| {
            q.iter()
                .any(|(k, v)| k == name && !matches!(v.as_str(), "0" | "false" | "no"))
        };
        let dpi = match q.iter().find(|(k, _)| k == "dpi") {
            None => png::DEFAULT_DPI,
            Some((_, v)) => match v.parse::<u32>() {
                Ok(d) => d,
                Err(_) => {
                    let d = Diagnostic::for_option("dpi", format!("\"{v}\" is not a whole number"));
                    return diagnostics_reply(400, &d.into());
                }
            },
        };
        let card = match self.card(body, q) {
            Ok((_, Ok(card))) => card,
            Ok((_, Err(e))) | Err(e) => return diagnostics_reply(422, &e),
        };
        if let Err(e) = png::check_size(&card.scene.pages[0], dpi) {
            return diagnostics_reply(422, &e);
        }
        let options = PngOptions {
            dpi,
            guides: flag("guides"),
            background: None,
        };
        reply(200, "image/png", png::page_png(&card.scene, 0, &options))
    }

    fn pdf(&self, body: &[u8], q: &[(String, String)]) -> Reply {
        // `standard=a-1b|a-2b|x-4`, as render's --pdf-standard.
        let mut options = PdfOptions::default();
        if let Some((_, v)) = q.iter().find(|(k, _)| k == "standard") {
            match PdfStandard::from_name(v) {
                Some(s) => options.standard = Some(s),
                None => {
                    let d = Diagnostic::for_option(
                        "standard",
                        format!("\"{v}\" is not a standard: a-1b, a-2b or x-4"),
                    );
                    return diagnostics_reply(400, &d.into());
                }
            }
        }
        match self.card(body, q) {
            Ok((_, Ok(card))) => match try_write_pdf(&card.scene, &options) {
                Ok(pdf) => reply(200, "application/pdf", pdf),
                Err(e) => diagnostics_reply(422, &e),
            },
            Ok((_, Err(e))) | Err(e) => diagnostics_reply(422, &e),
        }
    }

    fn check(&self, body: &[u8], q: &[(String, String)]) -> Reply {
        match self.card(body, q) {
            Ok((design, card)) => json_reply(200, &check_json(&design, &card)),
            Err(e) => json_reply(200, &crate::check::failure_json(&e)),
        }
    }

    fn save(&self, body: &[u8]) -> Reply {
        let Some(path) = &self.note_path else {
            return text_reply(404, "the server was started without a note file to save to");
        };
        if let Err(e) = self.note_from(body) {
            return diagnostics_reply(422, &e);
        }
        let mut plan = Plan::new();
        plan.update("the note", path);
        let saved = Commit::new(plan).and_then(|mut c| {
            c.stage("the note", path, body)?;
            c.finish()
        });
        match saved {
            Ok(()) => json_reply(200, &json!({"saved": path.display().to_string()})),
            Err(e) => diagnostics_reply(500, &e),
        }
    }
}

/// Reads a request's body, at most `MAX_BODY` bytes (413 past it).
fn read_body(request: &mut Request) -> std::result::Result<Vec<u8>, Reply> {
    let too_large = || {
        text_reply(
            413,
            &format!(
                "refused: the body is larger than {}",
                crate::io::size_text(MAX_BODY as u64)
            ),
        )
    };
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|_| text_reply(400, "the request body could not be read"))?;
    if body.len() > MAX_BODY {
        return Err(too_large());
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_are_decoded() {
        let q = query("/preview?layout=..%2Fmy%20card.toml&dpi=150&guides");
        assert_eq!(q[0], ("layout".into(), "../my card.toml".into()));
        assert_eq!(q[1], ("dpi".into(), "150".into()));
        assert_eq!(q[2], ("guides".into(), String::new()));
        assert!(query("/preview").is_empty());
    }
}
