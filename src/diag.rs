//! Diagnostics: what went wrong, where, and what to do about it.
//!
//! A diagnostic names its place (file, and where known line and column, or a
//! CSV row and column), a short lower-case message and optional hints. A stage
//! may return several at once; the CLI prints them all and exits 1.

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

/// One problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Where, when known.
    pub place: Option<Place>,
    /// What is wrong: short, lower-case.
    pub message: String,
    /// What to do about it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A problem with no place.
    pub fn new(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            place: None,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A problem at a place.
    pub fn at(place: Place, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            place: Some(place),
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("error: ")?;
        if let Some(place) = &self.place {
            write!(f, "{place}: ")?;
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
}
