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
//! option names it in [`Diagnostic::option`] (`"dpi"`), and the command line
//! shows that as `--dpi`.

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
            file: path.display().to_string(),
            line: None,
            col: None,
        }
    }

    /// A position given as a byte offset into the file's text.
    pub fn at_offset(path: &Path, source: &str, offset: usize) -> Place {
        let (line, col) = line_col(source, offset);
        Place {
            file: path.display().to_string(),
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

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let mut start = offset;
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let before = &source[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
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

/// Shows a diagnostic with its option named as a flag (`--dpi: …`), the way
/// the command line prints it.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.severity {
            Severity::Error => "error: ",
            Severity::Warning => "warning: ",
        })?;
        if let Some(place) = &self.place {
            write!(f, "{place}: ")?;
        }
        if let Some(option) = &self.option {
            write!(f, "--{}: ", option.replace('_', "-"))?;
        }
        f.write_str(&self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
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
