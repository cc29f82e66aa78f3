//! Printing through CUPS: a PDF handed to `lp` at its exact page size, with
//! scaling turned off, so a card prints where the PDF puts it.
//!
//! The media is read from the first page's MediaBox (see
//! [`pdfinfo`](crate::printer::pdfinfo)): a standard name
//! (`Letter`, `Legal`, `A4`, `A5`, `A6`) when the page is that size either way
//! round, else `Custom.WxHin` (or `mm`, or points) in the page's own
//! orientation. `lp` runs with an argument list, never through a shell.

use crate::diag::{Diagnostic, Result};
use crate::paper;
use crate::printer::pdfinfo::read_facts;
use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::Path;
use std::process::Command;

/// Two-sided printing: which edge the sheet turns over.
pub use crate::batch::impose::Duplex;

/// How to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintOptions {
    /// The CUPS queue (default `None`: `$LPDEST`, `$PRINTER`, then the
    /// system's default printer).
    pub printer: Option<String>,
    /// Copies of the whole file, 1 to 999 (default 1).
    pub copies: u32,
    /// Two-sided printing (default `None`: as the PDF's `/ViewerPreferences
    /// /Duplex` says, else the queue's default, usually one-sided).
    pub duplex: Option<Duplex>,
    /// One-sided, whatever the PDF's two-sided intent says (default
    /// `false`); `duplex` is then ignored. For a printer without a
    /// duplexer, or cards fed by hand one side at a time.
    pub one_sided: bool,
    /// The tray, a PPD `InputSlot` keyword such as `Tray2` or `Manual`
    /// (default `None`: the queue's default). `lpoptions -p QUEUE -l` lists them.
    pub tray: Option<String>,
}

impl PrintOptions {
    /// How the job is turned: as asked, else as the PDF's intent (`pdf`)
    /// says; `None` when it prints on one side.
    pub fn sides(&self, pdf: Option<Duplex>) -> Option<Duplex> {
        match self.one_sided {
            true => None,
            false => self.duplex.or(pdf),
        }
    }
}

impl Default for PrintOptions {
    fn default() -> PrintOptions {
        PrintOptions {
            printer: None,
            copies: 1,
            duplex: None,
            one_sided: false,
            tray: None,
        }
    }
}

/// Checks options that go on `lp`'s command line.
pub fn check_options(options: &PrintOptions) -> Result<()> {
    if !(1..=999).contains(&options.copies) {
        return Err(Diagnostic::new(format!("{} copies: give 1 to 999", options.copies)).into());
    }
    if let Some(p) = &options.printer {
        check_queue_name(p)?;
    }
    if let Some(t) = &options.tray {
        check_tray_name(t)?;
    }
    Ok(())
}

/// Checks a printer queue name as CUPS takes it: `QUEUE` or `QUEUE/INSTANCE`
/// (an instance is a queue with saved options), each part 1 to 127
/// printable characters without spaces, `/`, `#`, `\\`, quotes or a
/// leading `-`. The one check for `print --printer` and a profile's
/// `printer`.
pub fn check_queue_name(p: &str) -> Result<()> {
    let bad =
        |c: char| c.is_whitespace() || crate::diag::is_hidden_char(c) || "/#\\'\"".contains(c);
    let part_ok =
        |s: &str| !s.is_empty() && s.len() <= 127 && !s.starts_with('-') && !s.chars().any(bad);
    let ok = match p.split_once('/') {
        Some((queue, instance)) => part_ok(queue) && part_ok(instance),
        None => part_ok(p),
    };
    if ok {
        return Ok(());
    }
    Err(Diagnostic::new(format!(
        "{} is not a printer queue name",
        crate::diag::quote(p)
    ))
    .hint("queue names have no spaces, '#', '\\' or quotes (QUEUE/INSTANCE names an instance); `lpstat -e` lists them")
    .into())
}

/// Checks a tray name: a PPD InputSlot keyword, without spaces or `=`.
pub fn check_tray_name(t: &str) -> Result<()> {
    let bad = |c: char| c.is_whitespace() || crate::diag::is_hidden_char(c) || c == '=';
    if t.is_empty() || t.len() > 127 || t.chars().any(bad) {
        return Err(
            Diagnostic::new(format!("{} is not a tray name", crate::diag::quote(t)))
                .hint(
                    "trays are PPD InputSlot keywords without spaces, such as Tray2 or Manual; \
                     `lpoptions -p QUEUE -l` lists a queue's",
                )
                .into(),
        );
    }
    Ok(())
}

/// The `lp` command that prints a PDF: program name first, then its
/// arguments. Reads the PDF's page size for the media, and its two-sided
/// intent (`/ViewerPreferences /Duplex`) when `options.duplex` is `None`.
pub fn lp_command(pdf: &Path, options: &PrintOptions) -> Result<Vec<OsString>> {
    check_options(options)?;
    let facts = read_facts(pdf)?;
    let options = PrintOptions {
        duplex: options.sides(facts.duplex),
        ..options.clone()
    };
    Ok(lp_args(pdf, facts.size, &options))
}

/// The `lp` command for a PDF whose first page is `[w, h]` points.
fn lp_args(pdf: &Path, [w, h]: [f32; 2], options: &PrintOptions) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["lp".into()];
    if let Some(p) = &options.printer {
        args.extend(["-d".into(), p.into()]);
    }
    args.extend(["-n".into(), options.copies.to_string().into()]);
    args.extend([
        "-o".into(),
        format!("media={}", paper::cups_media(w, h)).into(),
        "-o".into(),
        "print-scaling=none".into(),
    ]);
    let sides = match options.sides(None) {
        Some(Duplex::Short) => Some("sides=two-sided-short-edge"),
        Some(Duplex::Long) => Some("sides=two-sided-long-edge"),
        None if options.one_sided => Some("sides=one-sided"),
        None => None,
    };
    if let Some(sides) = sides {
        args.extend(["-o".into(), sides.into()]);
    }
    if let Some(t) = &options.tray {
        args.extend(["-o".into(), format!("InputSlot={t}").into()]);
    }
    args.push("--".into());
    args.push(pdf.as_os_str().to_owned());
    args
}

/// A command as it would be typed in a POSIX shell: arguments with
/// anything but letters, digits and `@%+=:,./_-` in single quotes.
pub fn shell_quote(args: &[OsString]) -> String {
    args.iter()
        .map(|a| {
            let bytes = a.as_encoded_bytes();
            match std::str::from_utf8(bytes) {
                Ok(a) if !a.chars().any(crate::diag::is_hidden_char) => {
                    let plain = !a.is_empty()
                        && a.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
                    if plain {
                        a.to_string()
                    } else {
                        format!("'{}'", a.replace('\'', "'\\''"))
                    }
                }
                // Bytes that are not UTF-8, or characters a terminal would
                // act on, are written as $'\xHH' escapes: the command shown
                // is the command run, byte for byte.
                _ => ansi_c_quote(bytes),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bytes as a POSIX shell `$'...'` string.
fn ansi_c_quote(bytes: &[u8]) -> String {
    let mut out = String::from("$'");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if crate::diag::is_hidden_char(c) => {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("\\x{b:02x}"));
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('\'');
    out
}

/// Runs a CUPS client program; a missing program is a clear error.
fn run(program: &str, args: &[&str]) -> Result<std::process::Output> {
    Command::new(program).args(args).output().map_err(|e| {
        let d = if e.kind() == ErrorKind::NotFound {
            Diagnostic::new(format!(
                "cannot print: the CUPS print spooler is not installed (no `{program}` command)"
            ))
            .hint("install CUPS (Debian and Ubuntu: apt-get install cups-client cups-bsd)")
            .hint("or open the PDF and print it at actual size (no “fit to page”)")
        } else {
            Diagnostic::new(format!("cannot run `{program}`: {e}"))
        };
        d.into()
    })
}

/// The print queues CUPS knows (`lpstat -e`), after checking the scheduler runs.
pub fn queues() -> Result<Vec<String>> {
    let status = run("lpstat", &["-r"])?;
    let says = String::from_utf8_lossy(&status.stdout);
    if !says.contains("is running") {
        return Err(
            Diagnostic::new("cannot print: the CUPS scheduler is not running")
                .hint(
                    "start it (e.g. `systemctl start cups`), or point CUPS_SERVER at a running one",
                )
                .into(),
        );
    }
    let out = run("lpstat", &["-e"])?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

/// The queue a job goes to: the one asked for (checked against the known
/// queues), else `$LPDEST`, `$PRINTER`, then the system default.
pub fn resolve_queue(asked: Option<&str>) -> Result<String> {
    let known = queues()?;
    let list = || {
        if known.is_empty() {
            "there are no printer queues; add one in the system's printer settings or with lpadmin"
                .to_string()
        } else {
            format!("queues: {}", known.join(", "))
        }
    };
    let chosen = match asked {
        Some(q) => q.to_string(),
        None => {
            let env = ["LPDEST", "PRINTER"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
            let default = match env {
                Some(e) => Some(e),
                None => {
                    let out = run("lpstat", &["-d"])?;
                    String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .find_map(|l| l.split_once("destination:"))
                        .map(|(_, q)| q.trim().to_string())
                        .filter(|q| !q.is_empty())
                }
            };
            default.ok_or_else(|| {
                Diagnostic::for_option(
                    "printer",
                    "no printer given and there is no default printer",
                )
                .hint("name a print queue")
                .hint(list())
            })?
        }
    };
    // A class or an instance (`queue/instance`) is known by its queue name.
    let base = chosen.split('/').next().unwrap_or(&chosen);
    if !known.iter().any(|k| k == base || k == &chosen) {
        return Err(
            Diagnostic::new(format!("no printer queue {}", crate::diag::quote(&chosen)))
                .hint(list())
                .into(),
        );
    }
    Ok(chosen)
}

/// Sends a PDF to CUPS at its page size with scaling off; returns the job's
/// request id (such as `office-42`). Checks first that the queue exists, so
/// an unknown queue is an error that lists the known ones.
pub fn submit(pdf: &Path, options: &PrintOptions) -> Result<String> {
    check_options(options)?;
    let facts = read_facts(pdf)?;
    let queue = resolve_queue(options.printer.as_deref())?;
    let options = PrintOptions {
        printer: Some(queue.clone()),
        duplex: options.sides(facts.duplex),
        ..options.clone()
    };
    let args = lp_args(pdf, facts.size, &options);
    let out = Command::new(&args[0])
        .args(&args[1..])
        .output()
        .map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                Diagnostic::new(
                    "cannot print: the CUPS print spooler is not installed (no `lp` command)",
                )
                .hint("install CUPS (Debian and Ubuntu: apt-get install cups-client cups-bsd)")
            } else {
                Diagnostic::new(format!("cannot run `lp`: {e}"))
            }
        })?;
    let said = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let reason = err.trim().trim_start_matches("lp:").trim();
        // lp's words and the file name are escaped like anything else
        // echoed into a message.
        return Err(Diagnostic::new(format!(
            "{queue} did not take {}: {}",
            crate::diag::path(pdf),
            if reason.is_empty() {
                "lp failed".to_string()
            } else {
                crate::diag::escape(reason, 300)
            }
        ))
        .into());
    }
    // "request id is office-42 (1 file(s))"
    Ok(said
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or("")
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn shell_quoting_is_lossless() {
        use std::os::unix::ffi::OsStringExt;
        let odd = OsString::from_vec(b"caf\xe9 \x1b[2J it's\\.pdf".to_vec());
        let args = vec![OsString::from("lp"), OsString::from("a b"), odd.clone()];
        let shown = shell_quote(&args);
        assert_eq!(shown, "lp 'a b' $'caf\\xe9 \\x1b[2J it\\'s\\\\.pdf'");
        assert!(!shown.contains('\u{1b}'));
        // The shell turns it back into the same bytes.
        let o = std::process::Command::new("bash")
            .args([
                "-c",
                &format!("printf %s {}", shell_quote(std::slice::from_ref(&odd))),
            ])
            .output();
        if let Ok(o) = o {
            assert_eq!(o.stdout, odd.into_vec());
        }
    }

    #[test]
    fn media_names() {
        assert_eq!(paper::cups_media(396.0, 306.0), "Custom.5.5x4.25in");
        assert_eq!(paper::cups_media(612.0, 792.0), "Letter");
        assert_eq!(paper::cups_media(792.0, 612.0), "Letter");
        assert_eq!(paper::cups_media(595.2756, 841.8898), "A4");
        assert_eq!(paper::cups_media(297.6378, 419.5276), "A6");
        assert_eq!(paper::cups_media(324.0, 450.0), "Custom.4.5x6.25in");
        let (w, h) = (100.0 * 72.0 / 25.4, 148.0 * 72.0 / 25.4);
        assert_eq!(paper::cups_media(w, h), "Custom.100x148mm");
        assert_eq!(paper::cups_media(400.3, 300.7), "Custom.400.3x300.7");
    }

    #[test]
    fn quotes_for_the_shell() {
        let args: Vec<OsString> = ["lp", "-o", "media=Custom.5.5x4.25in", "my card's.pdf", ""]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(
            shell_quote(&args),
            "lp -o media=Custom.5.5x4.25in 'my card'\\''s.pdf' ''"
        );
    }
}
