//! Conventions of a command-line tool: `init`, `completions`, `man`,
//! `layouts --show`, `serve`, and `--watch` for render and preview.

use crate::diag::{Diagnostic, Result};
use crate::input::bundled;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `stationer init [NOTE.toml]`: writes the commented starter note (`-`:
/// standard output); never replaces an existing file.
pub(crate) fn init(path: &Path) -> Result<()> {
    let text = crate::input::note::STARTER_NOTE;
    if path.as_os_str() == "-" {
        print!("{text}");
        return Ok(());
    }
    if path.symlink_metadata().is_ok() {
        return Err(
            Diagnostic::new(format!("{} already exists", path.display()))
                .hint("give another name, e.g. stationer init thanks.toml")
                .into(),
        );
    }
    crate::io::write_atomic(path, text.as_bytes())?;
    eprintln!(
        "wrote {}; edit it, then: stationer preview {} -o card.png",
        path.display(),
        path.display()
    );
    Ok(())
}

/// `stationer layouts --show NAME`: a bundled design's TOML, as shipped.
pub(crate) fn show_layout(name: &str) -> Result<()> {
    match bundled::BUNDLED.iter().find(|b| b.0 == name) {
        Some((_, text)) => {
            print!("{text}");
            Ok(())
        }
        None => {
            let d = Diagnostic::for_option("show", format!("no bundled design \"{name}\""));
            let d = match crate::diag::closest(name, bundled::names()) {
                Some(near) => d.hint(format!("did you mean \"{near}\"?")),
                None => d,
            };
            Err(d
                .hint(format!("bundled designs: {}", bundled::names().join(", ")))
                .into())
        }
    }
}

/// The note of `serve`: a file, never `-` (it is saved back to).
pub(crate) fn note_file(s: &str) -> std::result::Result<PathBuf, String> {
    if s == "-" {
        return Err("serve saves to its note: give a file, not -".into());
    }
    Ok(PathBuf::from(s))
}

/// `stationer serve`: binds, prints the URL first on standard output, then
/// answers until interrupted.
pub(crate) fn serve(note: Option<&Path>, port: u16, open: bool) -> Result<()> {
    let server = crate::serve::Server::bind(port, note)?;
    let url = server.url();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{url}");
    let _ = out.flush();
    match note {
        Some(n) => eprintln!(
            "live preview of {} (Save writes to it); Ctrl-C to stop",
            n.display()
        ),
        None => eprintln!("live preview of a starter note; Ctrl-C to stop"),
    }
    if open {
        let opened = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if opened.is_err() {
            eprintln!("could not start a browser (xdg-open); open {url} yourself");
        }
    }
    server.run();
    Ok(())
}

/// The files a watched run depends on: the note, and the design file it or
/// the command line names (bundled designs are not files).
fn watched_files(note: &Path, layout: Option<&str>, more: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = vec![note.to_path_buf()];
    let base = note.parent().unwrap_or(Path::new(""));
    let named = match layout {
        Some(l) => Some(PathBuf::from(l)),
        None => std::fs::read_to_string(note)
            .ok()
            .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
            .and_then(|t| t.get("layout")?.as_str().map(|l| base.join(l))),
    };
    if let Some(l) = named {
        if !bundled::names().contains(&l.to_string_lossy().as_ref()) {
            files.push(l);
        }
    }
    files.extend(more.iter().cloned());
    files
}

/// A file as its folder's canonical path plus its name (the file itself
/// may be replaced, or briefly missing, while an editor saves it).
fn anchor(p: &Path) -> Option<(PathBuf, std::ffi::OsString)> {
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some((dir.canonicalize().ok()?, p.file_name()?.to_os_string()))
}

/// `--watch`: runs `job`, then again each time the note or its design file
/// changes, printing what was written or what went wrong, until interrupted.
pub(crate) fn watch(
    note: &Path,
    layout: Option<&str>,
    more: &[PathBuf],
    output: &Path,
    mut job: impl FnMut() -> Result<()>,
) -> Result<()> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let dash = |p: &Path| p.as_os_str() == "-";
    if dash(note) || dash(output) || more.iter().any(|p| dash(p)) {
        return Err(Diagnostic::for_option(
            "watch",
            "watches files: the note, the output and every input must be files, not -",
        )
        .into());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    })
    .map_err(|e| Diagnostic::for_option("watch", format!("cannot watch files: {e}")))?;
    let mut watching: Vec<PathBuf> = Vec::new();
    loop {
        match job() {
            Ok(()) => eprintln!("wrote {}", output.display()),
            Err(e) => eprintln!("{}", crate::cli::Flagged(&e)),
        }
        let files = watched_files(note, layout, more);
        let anchors: Vec<_> = files.iter().filter_map(|f| anchor(f)).collect();
        for (dir, _) in &anchors {
            if !watching.contains(dir) {
                watcher
                    .watch(dir, RecursiveMode::NonRecursive)
                    .map_err(|e| {
                        Diagnostic::for_option(
                            "watch",
                            format!("cannot watch {}: {e}", dir.display()),
                        )
                    })?;
                watching.push(dir.clone());
            }
        }
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        eprintln!("watching {} for changes; Ctrl-C to stop", names.join(", "));
        let relevant = |e: &notify::Event| {
            !matches!(e.kind, EventKind::Access(_))
                && e.paths.iter().any(|p| {
                    anchor(p).is_some_and(|a| anchors.contains(&a))
                        || anchors.iter().any(|(d, n)| p == &d.join(n))
                })
        };
        // Wait for a change, then let a burst of events (an editor's save)
        // settle before running again.
        loop {
            match rx.recv() {
                Ok(Ok(e)) if relevant(&e) => break,
                Ok(_) => continue,
                Err(_) => return Ok(()),
            }
        }
        while rx.recv_timeout(Duration::from_millis(60)).is_ok() {}
    }
}
