//! The one place that knows every path a run reads and writes.
//!
//! - [`read_bounded`] reads an input: a regular file only (checked before it
//!   is opened, so a FIFO is never opened and a device never read), at most a
//!   limit of bytes actually read. Every file it reads is remembered, with its
//!   role, so that no output can be written over it.
//! - [`Plan`] lists a run's inputs and outputs and refuses an output that is
//!   an input or another output — by canonical path and by file identity
//!   (device and inode), so symbolic and hard links do not hide it — and an
//!   output path that holds anything but a regular file (a symbolic link
//!   included: Stationer never writes through one).
//! - [`Commit`] writes every output to a temporary file beside its target
//!   (`.stationer-*.tmp`) and renames them all only when every one is
//!   complete; dropped before [`Commit::finish`], it removes them all.
//!   [`remove_temps_on_signal`] makes SIGINT and SIGTERM do the same.
//! - [`lock_beside`] takes an exclusive lock for a read-modify-write.
//!
//! An output path of `-` is standard output, written when the run commits;
//! an input of `-` (the note, the recipient list) is standard input, read at
//! most once a process by [`read_bounded_stdin`].

use crate::diag::{Diagnostic, Result};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::{File, Metadata};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// A short reason for an I/O error, without Rust's "(os error N)".
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s.to_lowercase(),
            }
        }
    }
}

/// Why an input could not be read (see [`read_bounded`]).
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// It is not a regular file: what it is ("a FIFO (named pipe)").
    NotRegular(&'static str),
    /// It holds more than the limit (in bytes).
    TooLarge(u64),
    /// Standard input (`-`) was asked for twice: the role that read it first.
    StdinTaken(String),
    /// `-` was given for an input that is only ever a file.
    NotStdin,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => f.write_str(&io_reason(e)),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge(limit) => {
                write!(f, "it is larger than the {} limit", size_text(*limit))
            }
            ReadError::StdinTaken(first) => write!(
                f,
                "it was read as {first} already; only one input can come from standard input (-)"
            ),
            ReadError::NotStdin => f.write_str(
                "- (standard input) is read only as the note or the recipient list (--data); \
                 give a file here",
            ),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// A size in the unit it is a whole number of: "50 MiB", "1 KiB", "700 bytes".
pub fn size_text(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{} {name}", bytes / unit);
        }
    }
    for (unit, name) in UNITS {
        if bytes >= unit {
            return format!("{:.1} {name}", bytes as f64 / unit as f64);
        }
    }
    format!("{bytes} bytes")
}

/// What a file is, for messages: "a directory", "a FIFO (named pipe)" ...
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        return "a regular file";
    }
    if t.is_dir() {
        return "a directory";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file"
}

/// Device and inode: the same file under any name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FileId(u64, u64);

fn file_id(meta: &Metadata) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileId(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// A file read by this process, for [`Plan::check`].
#[derive(Debug, Clone)]
struct ReadRecord {
    role: String,
    path: PathBuf,
    canonical: Option<PathBuf>,
    id: Option<FileId>,
}

static READS: Mutex<Vec<ReadRecord>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads a whole input file, at most `limit` bytes. `role` names what it is
/// ("the font", "the recipient list") in messages that refuse to write over
/// it. Only a regular file is read (a symbolic link to one is followed); its
/// type is checked before it is opened, so a FIFO is never opened and a
/// device never read, and the limit counts the bytes actually read (at most
/// `limit + 1`), not the length the file reports.
pub fn read_bounded(
    path: &Path,
    limit: u64,
    role: &str,
) -> std::result::Result<Vec<u8>, ReadError> {
    let meta = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.as_os_str() == "-" => {
            return Err(ReadError::NotStdin)
        }
        m => m?,
    };
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path change into a FIFO after the check, opening it
        // still does not wait for a writer.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(ReadError::NotRegular(kind_of(&opened)));
    }
    let mut data = Vec::with_capacity(opened.len().min(limit) as usize + 1);
    file.take(limit + 1).read_to_end(&mut data)?;
    if data.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    lock(&READS).push(ReadRecord {
        role: role.to_string(),
        path: path.to_path_buf(),
        canonical: path.canonicalize().ok(),
        id: file_id(&opened),
    });
    Ok(data)
}

/// The role standard input was read as, once it has been ("the note").
static STDIN_READ: Mutex<Option<String>> = Mutex::new(None);

/// Reads standard input to its end, at most `limit` bytes (the note or the
/// recipient list given as `-`; `role` names it, "the note"). Like
/// [`read_bounded`], the limit counts the bytes actually read (at most
/// `limit + 1`). Standard input is read once in a process: asked for again
/// (`render - --data -`), it is an error naming what read it first, never
/// an empty second input.
pub fn read_bounded_stdin(limit: u64, role: &str) -> std::result::Result<Vec<u8>, ReadError> {
    {
        let mut first = lock(&STDIN_READ);
        if let Some(first) = first.as_ref() {
            return Err(ReadError::StdinTaken(first.clone()));
        }
        *first = Some(role.to_string());
    }
    let mut data = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut data)?;
    if data.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(data)
}

/// One input or output of a [`Plan`].
#[derive(Debug, Clone)]
struct Entry {
    /// "the note", "-o", "--report", "the profiles file".
    role: String,
    path: PathBuf,
    /// An output that replaces an input at the same path (a read-modify-write).
    update: bool,
}

impl Entry {
    fn new(role: impl Into<String>, path: impl AsRef<Path>, update: bool) -> Entry {
        Entry {
            role: role.into(),
            path: path.as_ref().to_path_buf(),
            update,
        }
    }

    fn label(&self) -> String {
        format!("{} {}", self.role, self.path.display())
    }
}

/// Every path a run reads and writes, checked before anything is written.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    inputs: Vec<Entry>,
    outputs: Vec<Entry>,
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Where a path points when its last part is taken as it is (not followed).
fn canonical_target(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

/// What identifies an input: its canonical path and device and inode.
struct Identity {
    canonical: Option<PathBuf>,
    id: Option<FileId>,
}

impl Identity {
    fn of_input(path: &Path) -> Identity {
        Identity {
            canonical: path.canonicalize().ok(),
            id: std::fs::metadata(path).ok().as_ref().and_then(file_id),
        }
    }

    fn of_output(path: &Path) -> Identity {
        Identity {
            canonical: canonical_target(path),
            id: std::fs::symlink_metadata(path)
                .ok()
                .as_ref()
                .and_then(file_id),
        }
    }

    /// `Some(true)`: the same path; `Some(false)`: the same file by another
    /// name (a link); `None`: different files.
    fn same(&self, other: &Identity) -> Option<bool> {
        if self.canonical.is_some() && self.canonical == other.canonical {
            return Some(true);
        }
        (self.id.is_some() && self.id == other.id).then_some(false)
    }
}

/// Why an output path cannot be written, if it cannot: only a missing file
/// or a regular file (not a link) in an existing folder is.
fn refuse_target(label: &str, path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Diagnostic::new(format!(
            "the output {label} is a symbolic link; Stationer does not write through links"
        ))
        .hint("give the path of the file itself, or remove the link")
        .into()),
        Ok(m) if m.is_dir() => Err(Diagnostic::new(format!(
            "the output {label} is a directory"
        ))
        .hint("give a file name, e.g. -o card.pdf")
        .into()),
        Ok(m) if !m.is_file() => Err(Diagnostic::new(format!(
            "the output {label} is {}; only a regular file is replaced",
            kind_of(&m)
        ))
        .hint("give the path of a new or regular file; `-` writes to standard output where a command allows it")
        .into()),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            match std::fs::metadata(dir) {
                Ok(m) if m.is_dir() => Ok(()),
                Ok(_) => Err(Diagnostic::new(format!(
                    "cannot write {label}: {} is not a folder",
                    dir.display()
                ))
                .into()),
                Err(_) => Err(Diagnostic::new(format!(
                    "cannot write {label}: the folder {} does not exist",
                    dir.display()
                ))
                .hint("make the folder first, or write somewhere else")
                .into()),
            }
        }
        Err(e) => Err(Diagnostic::new(format!("cannot write {label}: {}", io_reason(&e))).into()),
    }
}

impl Plan {
    /// An empty plan.
    pub fn new() -> Plan {
        Plan::default()
    }

    /// Adds an input: `role` says what it is ("the note", "the design file").
    pub fn input(&mut self, role: impl Into<String>, path: impl AsRef<Path>) -> &mut Plan {
        self.inputs.push(Entry::new(role, path, false));
        self
    }

    /// Adds an output: `role` says how it was asked for ("-o", "--report").
    pub fn output(&mut self, role: impl Into<String>, path: impl AsRef<Path>) -> &mut Plan {
        self.outputs.push(Entry::new(role, path, false));
        self
    }

    /// Adds an output that replaces an input of the same path: a file read,
    /// changed and written back (the profiles file).
    pub fn update(&mut self, role: impl Into<String>, path: impl AsRef<Path>) -> &mut Plan {
        self.outputs.push(Entry::new(role, path, true));
        self
    }

    /// Refuses an output that is an input (those added and every file
    /// [`read_bounded`] has read) or another output, compared by canonical
    /// path and by device and inode, and an output path that holds anything
    /// but a regular file.
    pub fn check(&self) -> Result<()> {
        let mut problems = Vec::new();
        let mut inputs: Vec<(String, Identity)> = self
            .inputs
            .iter()
            .filter(|e| !is_stdout(&e.path))
            .map(|e| (e.label(), Identity::of_input(&e.path)))
            .collect();
        for r in lock(&READS).iter() {
            // A file read earlier and since removed no longer holds its
            // device and inode: another file may now have them.
            let still = std::fs::metadata(&r.path).ok().as_ref().and_then(file_id) == r.id;
            inputs.push((
                format!("{} {}", r.role, r.path.display()),
                Identity {
                    canonical: r.canonical.clone(),
                    id: if still { r.id } else { None },
                },
            ));
        }
        // Outputs by canonical path and by identity: linear in their number.
        let mut by_path: HashMap<PathBuf, String> = HashMap::new();
        let mut by_id: HashMap<FileId, String> = HashMap::new();
        let mut stdout: Option<String> = None;
        for out in &self.outputs {
            let label = out.label();
            if is_stdout(&out.path) {
                if let Some(first) = &stdout {
                    problems.push(Diagnostic::new(format!(
                        "the outputs {first} and {label} both go to standard output"
                    )));
                }
                stdout = Some(label);
                continue;
            }
            if let Err(e) = refuse_target(&label, &out.path) {
                problems.extend(e.0);
                continue;
            }
            let me = Identity::of_output(&out.path);
            let clash = inputs.iter().find_map(|(what, id)| match me.same(id) {
                Some(true) if out.update => None,
                Some(same_name) => Some((what, same_name)),
                None => None,
            });
            if let Some((what, same_name)) = clash {
                let how = if same_name { "" } else { " (by a link)" };
                problems.push(
                    Diagnostic::new(format!(
                        "the output {label} is {what}{how}; refusing to write over it"
                    ))
                    .hint("write the output to another file"),
                );
                continue;
            }
            let earlier = match (&me.canonical, me.id) {
                (Some(c), _) if by_path.contains_key(c) => Some((by_path[c].clone(), true)),
                (_, Some(id)) if by_id.contains_key(&id) => Some((by_id[&id].clone(), false)),
                _ => None,
            };
            if let Some((what, same_name)) = earlier {
                let how = if same_name { "" } else { " (by a link)" };
                problems.push(
                    Diagnostic::new(format!(
                        "the outputs {what} and {label} are the same file{how}"
                    ))
                    .hint("give each output its own file name"),
                );
                continue;
            }
            if let Some(c) = me.canonical {
                by_path.insert(c, label.clone());
            }
            if let Some(id) = me.id {
                by_id.insert(id, label);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(crate::diag::Error(problems))
        }
    }
}

/// Temporary files alive in this process, and folders a run has made for
/// its outputs but not yet kept, removed on SIGINT, SIGTERM or SIGHUP.
struct Live {
    paths: Vec<PathBuf>,
    /// Folders made, outermost first.
    dirs: Vec<PathBuf>,
    dying: bool,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    paths: Vec::new(),
    dirs: Vec::new(),
    dying: false,
});

/// True while no temporary file or made folder is alive: a signal then ends
/// the run at once, from its handler. Set false *before* one is made, and
/// true again (by [`settle`]) once the last is gone, always under [`LIVE`].
static CLEAN: AtomicBool = AtomicBool::new(true);

/// The signal that came while something was alive (0: none). Whoever next
/// touches [`LIVE`], or writes a staged output, removes it all and exits
/// (see [`stop_if_signalled`]).
static SIGNALLED: AtomicUsize = AtomicUsize::new(0);

/// Marks `live` clean when nothing is left in it. A thread that may have
/// made it clean calls [`stop_if_signalled`] once it lets go of [`LIVE`]:
/// a signal that found it not yet clean is then acted on.
fn settle(live: &Live) {
    CLEAN.store(
        live.paths.is_empty() && live.dirs.is_empty(),
        Ordering::SeqCst,
    );
}

/// Lets go of [`LIVE`] after removing from it: marks it clean if nothing
/// is left, then acts on a signal that came while it was not.
fn let_go(live: MutexGuard<'_, Live>) {
    settle(&live);
    drop(live);
    stop_if_signalled();
}

fn forget(live: &mut Live, path: &Path) {
    live.paths.retain(|p| p != path);
    settle(live);
}

/// Removes every live temporary file and keeps new ones from being made;
/// returns how many were removed. Called on a signal, before exit.
pub fn remove_temps() -> usize {
    clear(&mut lock(&LIVE))
}

fn clear(live: &mut Live) -> usize {
    live.dying = true;
    let n = live.paths.len();
    for p in live.paths.drain(..) {
        let _ = std::fs::remove_file(p);
    }
    // Innermost first; a folder that is not empty stays.
    for d in live.dirs.drain(..).rev() {
        let _ = std::fs::remove_dir(d);
    }
    settle(live);
    n
}

/// If a signal came while files were alive: removes them all and exits with
/// 128 + its number. Long work that writes a staged output calls it at each
/// step (a batch, after each round of cards), so that a signal is acted on
/// soon. Never called with [`LIVE`] held.
pub(crate) fn stop_if_signalled() {
    let signal = SIGNALLED.load(Ordering::SeqCst);
    if signal != 0 {
        clear(&mut lock(&LIVE));
        std::process::exit(128 + signal as i32);
    }
}

/// Makes SIGINT, SIGTERM and SIGHUP remove every temporary file (and the
/// folders made for outputs not yet kept), then exit with 128 + the
/// signal's number (130, 143, 129). A commit in progress finishes its
/// renames first: outputs are then all replaced, or none.
///
/// No thread waits for signals (a second thread cost a one-card run 9% of
/// its time). With nothing alive, the handler exits at once. Otherwise it
/// only notes the signal, and the run acts on it at its next step with
/// temporary files: each write of a staged output, each round of a batch,
/// each fsync, the start of a commit, and each removal or rename that
/// leaves nothing alive.
pub fn remove_temps_on_signal() -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::flag;
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // The exit must come first: signal-hook runs a signal's actions in
        // the order they were registered.
        flag::register_conditional_shutdown(signal, 128 + signal, &CLEAN)
            .and_then(|_| flag::register_usize(signal, &SIGNALLED, signal as usize))
            .map_err(|e| Diagnostic::new(format!("cannot handle signals: {}", io_reason(&e))))?;
    }
    Ok(())
}

/// A staged output's temporary file, buffered, made at its first write: a
/// long run (a big batch surveys every row first) has nothing to remove
/// until it writes, so a signal until then ends it at once. Each write
/// first acts on a signal that came meanwhile. It keeps its first error,
/// so that an output made as it is written can say "cannot write PATH: no
/// space left on device" whatever the code writing it made of the error.
struct TempWriter<'a> {
    dir: &'a Path,
    target: &'a Path,
    /// Dropped in order: the file is closed, then removed.
    file: Option<(std::io::BufWriter<File>, Staged)>,
    error: Option<std::io::Error>,
}

impl TempWriter<'_> {
    /// The temporary file, made now if it is not yet.
    fn file(&mut self) -> std::io::Result<&mut std::io::BufWriter<File>> {
        if self.file.is_none() {
            self.file = Some(make_temp(self.dir, self.target)?);
        }
        let (file, _) = self.file.as_mut().expect("made above");
        Ok(file)
    }

    fn keep_error<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r {
            self.error
                .get_or_insert(std::io::Error::new(e.kind(), e.to_string()));
        }
        r
    }
}

impl Write for TempWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        stop_if_signalled();
        // A whole output in one piece (a preview, a card) goes straight to
        // the file, not through the buffer (a copy, and new memory).
        let r = self.file().and_then(|f| {
            if f.buffer().is_empty() && buf.len() >= 1 << 14 {
                f.get_mut().write(buf)
            } else {
                f.write(buf)
            }
        });
        self.keep_error(r)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let r = match &mut self.file {
            Some((f, _)) => f.flush(),
            None => Ok(()),
        };
        self.keep_error(r)
    }
}

/// Makes a temporary file in `dir` for `target`, remembered as alive from
/// before it exists until the [`Staged`] is dropped or renamed.
fn make_temp(dir: &Path, target: &Path) -> std::io::Result<(std::io::BufWriter<File>, Staged)> {
    let mut live = lock(&LIVE);
    if live.dying {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ));
    }
    CLEAN.store(false, Ordering::SeqCst);
    let made = tempfile::Builder::new()
        .prefix(".stationer-")
        .suffix(".tmp")
        .tempfile_in(dir);
    match made {
        Ok(t) => {
            live.paths.push(t.path().to_path_buf());
            let (file, temp) = t.into_parts();
            let staged = Staged {
                temp: Some(temp),
                target: target.to_path_buf(),
            };
            Ok((std::io::BufWriter::with_capacity(1 << 16, file), staged))
        }
        Err(e) => {
            let_go(live);
            Err(e)
        }
    }
}

/// A complete output waiting to be renamed over its target.
struct Staged {
    temp: Option<tempfile::TempPath>,
    target: PathBuf,
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(t) = self.temp.take() {
            let mut live = lock(&LIVE);
            let path = t.to_path_buf();
            // The file goes before the registry can say nothing is alive.
            drop(t);
            forget(&mut live, &path);
            let_go(live);
        }
    }
}

/// A run's outputs, written all or none: [`Commit::stage`] writes each to a
/// temporary file beside its target; [`Commit::finish`] renames them all.
/// Dropped without finishing (an error on the way), it removes them all and
/// leaves every existing file as it was.
pub struct Commit {
    plan: Plan,
    planned: HashSet<PathBuf>,
    staged: Vec<Staged>,
    stdout: Vec<Vec<u8>>,
}

impl Commit {
    /// Starts a commit for a plan, after [`Plan::check`].
    pub fn new(plan: Plan) -> Result<Commit> {
        plan.check()?;
        let planned = plan.outputs.iter().map(|o| o.path.clone()).collect();
        Ok(Commit {
            plan,
            planned,
            staged: Vec::new(),
            stdout: Vec::new(),
        })
    }

    /// Adds outputs known only now (the files of a split batch) to the
    /// plan, and checks it again.
    pub fn add_outputs<P: AsRef<Path>>(
        &mut self,
        role: &str,
        paths: impl IntoIterator<Item = P>,
    ) -> Result<()> {
        for p in paths {
            self.planned.insert(p.as_ref().to_path_buf());
            self.plan.output(role, p);
        }
        self.plan.check()
    }

    /// Writes one output to a temporary file beside `path` (`-`: kept for
    /// standard output). An output not in the plan is added to it (`role`
    /// says how it was asked for) and checked.
    pub fn stage(&mut self, role: &str, path: &Path, data: &[u8]) -> Result<()> {
        // A write error is reported by stage_with, naming the file.
        self.stage_with(role, path, |w| {
            w.write_all(data)
                .map_err(|e| Diagnostic::new(io_reason(&e)).into())
        })
    }

    /// [`Commit::stage`] for an output made as it is written: `write` gets
    /// the temporary file (buffered) and may fail; then nothing is kept.
    /// What `write` returns is returned. A write error is given as
    /// "cannot write PATH: reason".
    pub fn stage_with<T>(
        &mut self,
        role: &str,
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> Result<T>,
    ) -> Result<T> {
        if !self.planned.contains(path) {
            self.add_outputs(role, [path])?;
        }
        let fail = |e: std::io::Error| {
            Diagnostic::new(format!(
                "cannot write {}: {}",
                path.display(),
                io_reason(&e)
            ))
        };
        if is_stdout(path) {
            let mut data = Vec::new();
            let value = write(&mut data)?;
            self.stdout.push(data);
            return Ok(value);
        }
        let label = format!("{role} {}", path.display());
        refuse_target(&label, path)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // From the first write, dropping `out` removes the file.
        let mut out = TempWriter {
            dir,
            target: path,
            file: None,
            error: None,
        };
        let value = write(&mut out);
        if let Some(e) = out.error.take() {
            return Err(fail(e).into());
        }
        let value = value?;
        // An output nothing was written to is an empty file.
        out.file().map_err(fail)?;
        let (file, staged) = out.file.take().expect("made above");
        let file = file.into_inner().map_err(|e| fail(e.into_error()))?;
        // A temporary file is private (0600); give the result the
        // permissions of the file it replaces, or 0644 for a new one.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
            file.set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(fail)?;
        }
        file.sync_all().map_err(fail)?;
        self.staged.push(staged);
        stop_if_signalled();
        Ok(value)
    }

    /// Checks the plan again (with every file read since it started), then
    /// renames every staged file over its target and writes what goes to
    /// standard output.
    pub fn finish(mut self) -> Result<()> {
        self.plan.check()?;
        stop_if_signalled();
        {
            let mut live = lock(&LIVE);
            if live.dying {
                return Err(Diagnostic::new("interrupted").into());
            }
            // One fsync per output, made in `stage_with` before the
            // rename: a crash leaves each path with its old file or its
            // new one, never a part. The directories are not synced: a
            // crash can undo a rename (the old file is back), not lose data.
            for s in &mut self.staged {
                let Some(temp) = s.temp.take() else { continue };
                let temp_path = temp.to_path_buf();
                match temp.persist(&s.target) {
                    Ok(()) => forget(&mut live, &temp_path),
                    Err(e) => {
                        let reason = io_reason(&e.error);
                        // Removes the file, before it is forgotten.
                        drop(e);
                        forget(&mut live, &temp_path);
                        return Err(Diagnostic::new(format!(
                            "cannot write {}: {reason}",
                            s.target.display(),
                        ))
                        .into());
                    }
                }
            }
        }
        // Nothing alive now: a signal during the renames exits here, after them.
        stop_if_signalled();
        if !self.stdout.is_empty() {
            let mut out = std::io::stdout().lock();
            for data in &self.stdout {
                out.write_all(data)
                    .and_then(|()| out.flush())
                    .map_err(|e| {
                        Diagnostic::new(format!(
                            "cannot write to standard output: {}",
                            io_reason(&e)
                        ))
                    })?;
            }
        }
        Ok(())
    }
}

/// Writes one output whole or not at all (a [`Plan`] of one output).
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let mut plan = Plan::new();
    plan.output("the output", path);
    let mut commit = Commit::new(plan)?;
    commit.stage("the output", path, data)?;
    commit.finish()
}

/// An exclusive lock on a lock file beside a file; released when dropped.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

/// Takes an exclusive lock on `.NAME.lock` beside `path`, waiting for
/// another process that holds it. The lock file stays (it is empty).
pub fn lock_beside(path: &Path) -> Result<FileLock> {
    let name = path
        .file_name()
        .map_or_else(|| "stationer".into(), |n| n.to_string_lossy().into_owned());
    let lock_path = path.with_file_name(format!(".{name}.lock"));
    let fail = |e: std::io::Error| {
        Diagnostic::new(format!(
            "cannot lock {}: {}",
            lock_path.display(),
            io_reason(&e)
        ))
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(fail)?;
    file.lock().map_err(fail)?;
    Ok(FileLock { _file: file })
}

/// Folders made for a run's outputs (see [`make_dirs`]): removed again
/// when dropped, or on a signal, unless [`MadeDirs::keep`] is called once
/// the outputs are in place.
#[must_use = "dropping it removes the folders it made"]
pub struct MadeDirs {
    dirs: Vec<PathBuf>,
}

/// Makes a folder and whichever of its parents are missing, remembering
/// each one made, so that a run that fails (or is stopped by a signal)
/// leaves no folder behind.
pub fn make_dirs(dir: &Path) -> Result<MadeDirs> {
    let fail = |d: &Path, e: std::io::Error| -> crate::diag::Error {
        Diagnostic::new(format!(
            "cannot make the folder {}: {}",
            d.display(),
            io_reason(&e)
        ))
        .into()
    };
    let missing: Vec<&Path> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
        .collect();
    let mut made = MadeDirs { dirs: Vec::new() };
    for d in missing.into_iter().rev() {
        let mut live = lock(&LIVE);
        if live.dying {
            return Err(Diagnostic::new("stopped by a signal").into());
        }
        CLEAN.store(false, Ordering::SeqCst);
        let result = std::fs::create_dir(d);
        if result.is_err() {
            settle(&live);
        }
        match result {
            Ok(()) => {
                live.dirs.push(d.to_path_buf());
                made.dirs.push(d.to_path_buf());
            }
            // Made meanwhile by someone else: theirs, not ours.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(fail(d, e)),
        }
    }
    if !dir.is_dir() {
        return Err(fail(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        ));
    }
    Ok(made)
}

impl MadeDirs {
    /// Keeps the folders: the run's outputs are in them.
    pub fn keep(mut self) {
        let mut live = lock(&LIVE);
        live.dirs.retain(|d| !self.dirs.contains(d));
        self.dirs.clear();
        let_go(live);
    }
}

impl Drop for MadeDirs {
    fn drop(&mut self) {
        let mut live = lock(&LIVE);
        for d in self.dirs.drain(..).rev() {
            live.dirs.retain(|x| x != &d);
            let _ = std::fs::remove_dir(&d);
        }
        let_go(live);
    }
}

/// Makes a folder and its parents, with a clear message when that fails.
pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::new(format!(
            "cannot make the folder {}: {}",
            dir.display(),
            io_reason(&e)
        ))
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_given_in_their_unit() {
        assert_eq!(size_text(50 * 1024 * 1024), "50 MiB");
        assert_eq!(size_text(1024 * 1024), "1 MiB");
        assert_eq!(size_text(64 * 1024), "64 KiB");
        assert_eq!(size_text(700), "700 bytes");
        assert_eq!(size_text(1536 * 1024), "1536 KiB");
        assert_eq!(size_text(1536 * 1024 + 1), "1.5 MiB");
    }

    #[test]
    fn a_failed_commit_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("keep.pdf");
        std::fs::write(&keep, "old").unwrap();
        let mut plan = Plan::new();
        plan.output("-o", &keep);
        let mut c = Commit::new(plan).unwrap();
        c.stage("-o", &keep, b"new").unwrap();
        let err = c.stage("--report", &dir.path().join("no/r.json"), b"{}");
        assert!(err.is_err());
        drop(c);
        assert_eq!(std::fs::read(&keep).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn two_outputs_of_one_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.pdf");
        let mut plan = Plan::new();
        plan.output("-o", &a)
            .output("--report", dir.path().join(".").join("a.pdf"));
        let e = plan.check().unwrap_err().to_string();
        assert!(e.contains("are the same file"), "{e}");
    }
}
