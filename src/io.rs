//! Writing output files whole or not at all: write beside the target, then
//! rename over it, so a failed run leaves an existing file untouched.

use crate::diag::{Diagnostic, Result};
use std::io::Write;
use std::path::Path;

/// Writes `data` to `path` atomically.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let fail = |why: String| Diagnostic::new(format!("cannot write {}: {why}", path.display()));
    if path.is_dir() {
        return Err(fail("it is a directory".into())
            .hint("give a file name, e.g. -o card.pdf")
            .into());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(fail(format!("the folder {} does not exist", dir.display())).into());
    }
    let io = |e: std::io::Error| fail(crate::text::fonts::io_reason(&e));
    let mut tmp = tempfile::Builder::new()
        .prefix(".stationer-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(data).map_err(io)?;
    // A temporary file is private (0600); give the result the permissions of
    // the file it replaces, or the usual 0644 for a new one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Makes a folder and its parents, with a clear message when that fails.
pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::new(format!(
            "cannot make the folder {}: {}",
            dir.display(),
            crate::text::fonts::io_reason(&e)
        ))
        .into()
    })
}
