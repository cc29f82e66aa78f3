//! Diagnostics: what went wrong, where, and what to do about it.
//!
//! A diagnostic has a severity, names its place (file, and where known line
//! and column, or a CSV row and column; or the option of a library call it
//! is about), a short lower-case message and optional hints. A stage may
//! return several at once; warnings travel beside a result in [`Warned`]
//! and are never printed by the library. The command line prints them all
//! and exits 1 on an error.
//!
//! Library messages never spell a command-line flag: a diagnostic about an
//! option names it in [`Diagnostic::option`] (`"dpi"`), shown as `dpi: …`,
//! and the command line shows that as `--dpi: …` ([`Diagnostic::show`]).

use std::fmt;
use std::path::Path;

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub col: Option<usize>,
}

impl Place {
    /// A whole file.
    pub fn file(path: &Path) -> Place {
        Place {
            file: self::path(path),
            line: None,
            col: None,
        }
    }

    /// A position given as a byte offset into the file's text.
    pub fn at_offset(path: &Path, source: &str, offset: usize) -> Place {
        Place::at_line_col(path, line_col(source, offset))
    }

    /// A line and column found with a [`LineIndex`].
    pub fn at_line_col(path: &Path, (line, col): (usize, usize)) -> Place {
        Place {
            file: self::path(path),
            line: Some(line),
            col: Some(col),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset. For many
/// lookups in one source, build a [`LineIndex`] once instead.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(source, offset)
}

/// The byte offsets where a source's lines start, found once, so that each
/// line/column lookup is a binary search plus a scan of one line (work
/// linear in the source overall, however many diagnostics and spans).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `source` (lines end at `\n`).
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset into the
    /// source this index was built from.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let col = source[line_start..offset].chars().count() + 1;
        (line, col)
    }
}

/// The most characters of input text a message shows (see [`quote`]).
pub const QUOTE_MAX_CHARS: usize = 60;

/// Whether a character is shown as `\u{..}` when input is echoed in a
/// message: control characters (ESC, BEL, …), bidirectional overrides and
/// isolates, zero-width and other invisible format characters, and line
/// separators, any of which could change the terminal or hide what the
/// text says.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{34f}'
                | '\u{61c}'
                | '\u{115f}'..='\u{1160}'
                | '\u{17b4}'..='\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff0}'..='\u{fffb}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

/// Input text as a message shows it, in double quotes: hidden characters
/// (see [`is_hidden_char`]) written as `\u{1b}`, `"` and `\` escaped, and
/// cut after [`QUOTE_MAX_CHARS`] characters with an ellipsis. Every value
/// echoed from an input file or argument into a message goes through this.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", escape_cut(s, QUOTE_MAX_CHARS, true))
}

/// Names from input as a message lists them: each escaped and cut as
/// [`quote`] does (without the quotes), comma-separated, at most `max` of
/// them and then how many more.
pub fn list<'a>(names: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let mut out = Vec::new();
    let mut more = 0;
    for name in names {
        if out.len() < max {
            out.push(escape(name, QUOTE_MAX_CHARS));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        out.push(format!("and {more} more"));
    }
    out.join(", ")
}

/// Input text as a message shows it, without quotes: hidden characters
/// escaped as in [`quote`] and cut after `max` characters with an ellipsis.
pub fn escape(s: &str, max: usize) -> String {
    escape_cut(s, max, false)
}

fn escape_cut(s: &str, max: usize, quotes: bool) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for c in s.chars() {
        let piece = if is_hidden_char(c) {
            format!("\\u{{{:x}}}", c as u32)
        } else if quotes && (c == '"' || c == '\\') {
            format!("\\{c}")
        } else {
            c.to_string()
        };
        let n = piece.chars().count();
        if shown + n > max {
            out.push('…');
            return out;
        }
        shown += n;
        out.push_str(&piece);
    }
    out
}

/// A path as a message shows it: lossless (bytes that are not UTF-8 are
/// written `\x{ff}`), hidden characters escaped, and a long path cut in the
/// middle so that the file name at its end stays visible.
pub fn path(p: &Path) -> String {
    const MAX: usize = 160;
    let text = lossless(p.as_os_str());
    let escaped = escape(&text, usize::MAX);
    let n = escaped.chars().count();
    if n <= MAX {
        return escaped;
    }
    let head: String = escaped.chars().take(MAX / 3).collect();
    let tail: String = escaped.chars().skip(n - (MAX - MAX / 3)).collect();
    format!("{head}…{tail}")
}

/// An OS string as text without losing anything: each byte that is not
/// part of valid UTF-8 becomes `\x{..}`.
pub fn lossless(s: &std::ffi::OsStr) -> String {
    let bytes = s.as_encoded_bytes();
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{{{b:02x}}}"));
        }
    }
    out
}

/// A message that comes from a parser (TOML, CSV, image decoders), made
/// safe to print: hidden characters escaped, each part in backticks or
/// double quotes (where such messages echo keys and values) cut to
/// [`QUOTE_MAX_CHARS`], and the whole cut to a few hundred characters.
pub fn foreign_message(message: &str) -> String {
    let mut out = String::new();
    let mut part = String::new();
    let mut open: Option<char> = None;
    for c in message.chars() {
        match open {
            Some(q) if c == q => {
                out.push_str(&escape(&part, QUOTE_MAX_CHARS));
                out.push(c);
                part.clear();
                open = None;
            }
            Some(_) => part.push(c),
            None => {
                if c == '`' || c == '"' {
                    open = Some(c);
                }
                out.push(c);
            }
        }
    }
    out.push_str(&escape(&part, QUOTE_MAX_CHARS));
    escape(&out, 400)
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The job cannot go on; nothing is written.
    #[default]
    Error,
    /// The job goes on; the user should know.
    Warning,
}

/// One problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning (default: error).
    pub severity: Severity,
    /// Where, when known.
    pub place: Option<Place>,
    /// The option of the call this is about (`"dpi"`, `"sheet"`), when it is
    /// about one; the command line shows it as the flag `--dpi`.
    pub option: Option<&'static str>,
    /// What is wrong: short, lower-case.
    pub message: String,
    /// What to do about it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A problem with no place.
    pub fn new(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            place: None,
            option: None,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A problem at a place.
    pub fn at(place: Place, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            place: Some(place),
            ..Diagnostic::new(message)
        }
    }

    /// A problem with the value given for an option (`"dpi"`).
    pub fn for_option(option: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            option: Some(option),
            ..Diagnostic::new(message)
        }
    }

    /// The same diagnostic as a warning.
    pub fn warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }
}

impl Diagnostic {
    /// Writes the diagnostic as text, its option named by `option` (the
    /// library's name, such as `dpi`, goes in; the command line gives
    /// `--dpi` back).
    pub fn show(&self, f: &mut fmt::Formatter<'_>, option: &dyn Fn(&str) -> String) -> fmt::Result {
        f.write_str(match self.severity {
            Severity::Error => "error: ",
            Severity::Warning => "warning: ",
        })?;
        if let Some(place) = &self.place {
            write!(f, "{place}: ")?;
        }
        if let Some(o) = &self.option {
            write!(f, "{}: ", option(o))?;
        }
        f.write_str(&self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Shows a diagnostic with its option named as the library names it
/// (`dpi: …`); the command line names it as its flag instead.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.show(f, &|o| o.to_string())
    }
}

/// One or more problems that stop the job. Nothing has been written.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(pub Vec<Diagnostic>);

impl Error {
    /// The diagnostics, in the order they were found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.0
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error(vec![d])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Shorthand for results of Stationer's stages.
pub type Result<T> = std::result::Result<T, Error>;

/// A result with the warnings found on the way to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Warned<T> {
    /// The result.
    pub value: T,
    /// Warnings, in the order they were found; each has
    /// [`Severity::Warning`].
    pub warnings: Vec<Diagnostic>,
}

impl<T> Warned<T> {
    /// A result with no warnings.
    pub fn new(value: T) -> Warned<T> {
        Warned {
            value,
            warnings: Vec::new(),
        }
    }
}

/// The candidate closest to a misspelt `word`, when one is close enough to
/// suggest ("did you mean classic-a2?"): equal but for case, or within an
/// edit distance of a third of the word's length (at least 1).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= limit && c != word)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let s = "a = 1\nbé = x\n";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 6), (2, 1));
        assert_eq!(line_col(s, 11), (2, 5));
        assert_eq!(line_col(s, 5), (1, 6));
        assert_eq!(line_col(s, 999), (3, 1));
        // Inside a character: the character's own column.
        assert_eq!(line_col(s, 8), (2, 2));
        let index = LineIndex::new(s);
        for offset in 0..s.len() + 2 {
            assert_eq!(index.line_col(s, offset), line_col(s, offset), "{offset}");
        }
    }

    #[test]
    fn quote_escapes_terminal_codes_and_bidi_and_cuts() {
        let q = quote("\u{1b}]0;owned\u{7}\u{1b}[2J");
        assert_eq!(q, "\"\\u{1b}]0;owned\\u{7}\\u{1b}[2J\"");
        assert!(!q.chars().any(|c| c.is_control()));
        for c in [
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{feff}',
        ] {
            assert_eq!(quote(&c.to_string()), format!("\"\\u{{{:x}}}\"", c as u32));
        }
        assert_eq!(quote("Zoë \"Z\""), "\"Zoë \\\"Z\\\"\"");
        let long = quote(&"k".repeat(1_000_000));
        assert_eq!(long.chars().count(), QUOTE_MAX_CHARS + 3);
        assert!(long.ends_with("…\""));
        // An escape is never cut in half.
        let q = quote(&format!("{}\u{1b}", "a".repeat(QUOTE_MAX_CHARS - 2)));
        assert!(q.ends_with("a…\""), "{q}");
    }

    #[cfg(unix)]
    #[test]
    fn paths_are_lossless_and_foreign_messages_are_tamed() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9/\xff\x1b.toml"));
        assert_eq!(path(p), "caf\\x{e9}/\\x{ff}\\u{1b}.toml");
        let long = format!("{}/end.toml", "d".repeat(10_000));
        let shown = path(Path::new(&long));
        assert!(shown.ends_with("/end.toml") && shown.chars().count() < 200);
        let m = foreign_message(&format!(
            "unknown field `{}\u{1b}[2J`, expected `a`",
            "x".repeat(5000)
        ));
        assert!(m.len() < 200 && !m.contains('\u{1b}'), "{m}");
        assert!(m.ends_with("expected `a`"), "{m}");
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        let names = ["classic-a2", "portrait-a6", "folded-a2"];
        assert_eq!(closest("clasic-a2", names), Some("classic-a2"));
        assert_eq!(closest("Classic-A2", names), Some("classic-a2"));
        assert_eq!(closest("portrait-a7", names), Some("portrait-a6"));
        assert_eq!(closest("envelope", names), None);
        assert_eq!(closest("bdy", ["body", "signer"]), Some("body"));
    }
}
