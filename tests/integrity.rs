//! The promises of the README's "Output files" section, one test per class:
//! an output is never an input or another output, only regular files are
//! replaced, a run writes all of its outputs or none (also on a full disk and
//! on SIGINT/SIGTERM), nothing empty passes as done, concurrent profile
//! changes all land, and every read is bounded. Each test checks the exit
//! status, the message, that every file there before is unchanged (sentinel
//! bytes) and that no `.stationer-*.tmp` file remains.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const NOTE: &str = "body = \"Thank you for the lovely afternoon.\"\nsigner = \"Alex\"\n";
const TEMPLATE: &str =
    "greeting = \"Dear {name},\"\nbody = \"Thank you for coming.\"\nsigner = \"Alex\"\n";

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), data).unwrap();
}

/// A folder with a note, a note template, a design file, a two-row list
/// and sentinel files.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "n.toml", NOTE);
    write(d, "t.toml", TEMPLATE);
    write(
        d,
        "d.toml",
        std::fs::read(root().join("layouts/classic-a2.toml")).unwrap(),
    );
    write(d, "r.csv", "name\nAnn\nBob\n");
    write(d, "keep.pdf", "sentinel: keep.pdf");
    write(d, "keep.json", "sentinel: keep.json");
    dir
}

/// Runs stationer, failing the test if it takes longer than `limit`.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("stationer {args:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = start.elapsed();
    (child.wait_with_output().unwrap(), took)
}

/// Exit 1, a message holding every one of `expect`, and nothing changed.
fn refused(dir: &Path, args: &[&str], expect: &[&str]) -> String {
    let before = snapshot(dir);
    let (o, _) = run_within(dir, args, Duration::from_secs(60));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
    for e in expect {
        assert!(err.contains(e), "{args:?}: message lacks {e:?}: {err}");
    }
    assert_untouched(dir, &before);
    err
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

// "An output that is one of the run's inputs ... is refused"

#[test]
fn output_that_is_the_note_is_refused() {
    let dir = setup();
    refused(
        dir.path(),
        &["render", "n.toml", "-o", "n.toml"],
        &["the output -o n.toml is the note n.toml", "refusing"],
    );
}

#[test]
fn output_that_is_the_design_is_refused() {
    let dir = setup();
    refused(
        dir.path(),
        &["render", "n.toml", "--layout", "./d.toml", "-o", "d.toml"],
        &["the output -o d.toml is the design file"],
    );
    // Named differently, and as the report.
    refused(
        dir.path(),
        &[
            "render", "n.toml", "--layout", "d.toml", "-o", "c.pdf", "--report", "./d.toml",
        ],
        &["the output --report ./d.toml is the design file"],
    );
}

#[test]
fn output_that_is_an_image_or_font_of_the_design_is_refused() {
    let dir = setup();
    let d = dir.path();
    std::fs::copy(root().join("samples/logo.png"), d.join("logo.png")).unwrap();
    std::fs::copy(
        root().join("fonts/caladea/Caladea-Regular.ttf"),
        d.join("f.ttf"),
    )
    .unwrap();
    let design = std::fs::read_to_string(root().join("samples/logo-card.toml"))
        .unwrap()
        .replace("font = \"caladea\"", "font = \"f.ttf\"");
    write(d, "logo.toml", design);
    refused(
        d,
        &[
            "render",
            "n.toml",
            "--layout",
            "logo.toml",
            "-o",
            "logo.png",
        ],
        &["the output -o logo.png is the image"],
    );
    refused(
        d,
        &["preview", "n.toml", "--layout", "logo.toml", "-o", "f.ttf"],
        &["the output -o f.ttf is the font"],
    );
}

#[test]
fn report_that_is_the_output_is_refused() {
    let dir = setup();
    refused(
        dir.path(),
        &["render", "n.toml", "-o", "keep.pdf", "--report", "keep.pdf"],
        &["the outputs -o keep.pdf and --report keep.pdf are the same file"],
    );
}

#[test]
fn split_file_that_is_the_output_or_report_is_refused() {
    let dir = setup();
    let d = dir.path();
    std::fs::create_dir(d.join("cards")).unwrap();
    write(d, "cards/1-Ann.pdf", "sentinel: split");
    refused(
        d,
        &[
            "batch",
            "t.toml",
            "--data",
            "r.csv",
            "-o",
            "cards/1-Ann.pdf",
            "--split",
            "cards",
        ],
        &["the outputs -o cards/1-Ann.pdf and --split file cards/1-Ann.pdf are the same file"],
    );
    refused(
        d,
        &[
            "batch",
            "t.toml",
            "--data",
            "r.csv",
            "-o",
            "keep.pdf",
            "--report",
            "cards/2-Bob.pdf",
            "--split",
            "cards",
        ],
        &["--report cards/2-Bob.pdf", "are the same file"],
    );
}

#[test]
fn hard_link_between_an_input_and_the_output_is_refused() {
    let dir = setup();
    let d = dir.path();
    std::fs::hard_link(d.join("r.csv"), d.join("out.pdf")).unwrap();
    refused(
        d,
        &["batch", "t.toml", "--data", "r.csv", "-o", "out.pdf"],
        &["the output -o out.pdf is the recipient list r.csv (by a link)"],
    );
}

// "Only a regular file is replaced"

#[test]
fn symlinked_output_is_refused_and_its_target_kept() {
    let dir = setup();
    let d = dir.path();
    std::os::unix::fs::symlink("keep.pdf", d.join("link.pdf")).unwrap();
    refused(
        d,
        &["render", "n.toml", "-o", "link.pdf"],
        &["the output -o link.pdf is a symbolic link"],
    );
    // A link to an input is refused the same way, before anything else.
    std::os::unix::fs::symlink("n.toml", d.join("note-link.pdf")).unwrap();
    refused(
        d,
        &["render", "n.toml", "-o", "note-link.pdf"],
        &["symbolic link"],
    );
}

#[test]
fn fifo_output_is_refused_without_waiting() {
    let dir = setup();
    let d = dir.path();
    if !mkfifo(&d.join("out.pdf")) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    refused(
        d,
        &["render", "n.toml", "-o", "out.pdf"],
        &[
            "the output -o out.pdf is a FIFO",
            "only a regular file is replaced",
        ],
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(d.join("out.pdf"))
        .unwrap()
        .file_type()
        .is_fifo());
}

#[test]
fn device_output_is_refused_and_the_device_kept() {
    let dir = setup();
    use std::os::unix::fs::FileTypeExt;
    use std::os::unix::fs::MetadataExt;
    let before = std::fs::metadata("/dev/null").unwrap();
    refused(
        dir.path(),
        &["render", "n.toml", "-o", "/dev/null"],
        &["the output -o /dev/null is a character device"],
    );
    let after = std::fs::metadata("/dev/null").unwrap();
    assert!(after.file_type().is_char_device());
    assert_eq!(
        (before.ino(), before.mode(), before.rdev()),
        (after.ino(), after.mode(), after.rdev())
    );
}

#[test]
fn directory_output_is_refused() {
    let dir = setup();
    std::fs::create_dir(dir.path().join("out.pdf")).unwrap();
    refused(
        dir.path(),
        &["render", "n.toml", "-o", "out.pdf"],
        &["the output -o out.pdf is a directory"],
    );
}

#[test]
fn dash_writes_to_standard_output() {
    let dir = setup();
    let before = snapshot(dir.path());
    let o = stationer(dir.path(), &["render", "n.toml", "-o", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"%PDF-"));
    let o = stationer(dir.path(), &["preview", "n.toml", "-o", "-", "--dpi", "20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"\x89PNG"));
    assert_untouched(dir.path(), &before);
    // Two outputs cannot both go there.
    refused(
        dir.path(),
        &["render", "n.toml", "-o", "-", "--report", "-"],
        &["both go to standard output"],
    );
}

// "A run writes all of its outputs or none"

#[test]
fn failed_run_keeps_existing_files() {
    let dir = setup();
    let d = dir.path();
    refused(
        d,
        &[
            "render",
            "n.toml",
            "-o",
            "keep.pdf",
            "--report",
            "missing/r.json",
        ],
        &["the folder missing does not exist"],
    );
    write(d, "F", "sentinel: F");
    refused(
        d,
        &[
            "batch", "t.toml", "--data", "r.csv", "-o", "keep.pdf", "--split", "F",
        ],
        &["--split F: it is a regular file, not a folder"],
    );
    // A failure found late (a note that does not fit) also writes nothing.
    write(
        d,
        "long.toml",
        format!("body = \"{}\"\nsigner = \"A\"\n", "word ".repeat(3000)),
    );
    refused(
        d,
        &[
            "render",
            "long.toml",
            "-o",
            "keep.pdf",
            "--report",
            "keep.json",
        ],
        &["does not fit"],
    );
    // --split makes its folder only when the run succeeds.
    refused(
        d,
        &[
            "batch",
            "t.toml",
            "--data",
            "r.csv",
            "-o",
            "cards/1-Ann.pdf",
            "--split",
            "cards",
        ],
        &[],
    );
    assert!(!d.join("cards").exists());
}

#[test]
fn successful_run_replaces_every_output() {
    let dir = setup();
    let d = dir.path();
    let o = stationer(
        d,
        &[
            "batch",
            "t.toml",
            "--data",
            "r.csv",
            "-o",
            "keep.pdf",
            "--report",
            "keep.json",
            "--split",
            "cards",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(d.join("keep.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));
    assert!(std::fs::read(d.join("keep.json"))
        .unwrap()
        .starts_with(b"{"));
    assert!(d.join("cards/1-Ann.pdf").is_file() && d.join("cards/2-Bob.pdf").is_file());
    assert_eq!(temps(d), Vec::<PathBuf>::new());
}

/// Mounts a small tmpfs on `dir` (root only); false where that is not allowed.
fn mount_tmpfs(dir: &Path, size: &str) -> bool {
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn full_disk_leaves_nothing_behind() {
    let dir = setup();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    if !mount_tmpfs(&disk, "200k") {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());
    let mut csv = String::from("name\n");
    for i in 0..100 {
        csv += &format!("Recipient {i}\n");
    }
    write(&disk, "r.csv", &csv);
    write(&disk, "t.toml", TEMPLATE);
    write(&disk, "keep.pdf", "sentinel: keep.pdf");
    refused(
        &disk,
        &[
            "batch",
            "t.toml",
            "--data",
            "r.csv",
            "-o",
            "keep.pdf",
            "--report",
            "r.json",
            "--split",
            "deep/a/cards",
        ],
        &["cannot write", "no space left on device"],
    );
    // The split folder and the parents it needed are gone again.
    assert!(!disk.join("deep").exists());
}

/// A 20,000-row list and a note template in `dir`.
fn big_batch(dir: &Path) {
    let mut csv = String::from("name\n");
    for i in 0..20_000 {
        csv += &format!("Recipient {i}\n");
    }
    write(dir, "big.csv", csv);
}

fn signal_during_batch(signal: &str, number: i32, when_temp_appears: bool) {
    let dir = setup();
    let d = dir.path();
    big_batch(d);
    let before = snapshot(d);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(["batch", "t.toml", "--data", "big.csv", "-o", "big.pdf"])
        .args(["--report", "big.json", "--split", "deep/cards"])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut saw_temp = false;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        saw_temp = !temps(d).is_empty();
        let due = if when_temp_appears {
            saw_temp || start.elapsed() > Duration::from_secs(120)
        } else {
            start.elapsed() > Duration::from_millis(300)
        };
        if due {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    let signalled = Instant::now();
    let status = child.wait().unwrap();
    eprintln!(
        "{signal} after {:?} (temporary file seen: {saw_temp}, sent: {sent}): {status} {:?} later",
        signalled - start,
        signalled.elapsed()
    );
    assert!(sent, "the batch finished before the signal");
    // Acted on soon: the rest of the batch takes longer than this.
    assert!(
        signalled.elapsed() < Duration::from_secs(5),
        "the batch went on after the signal"
    );
    // Exit 128 + the signal's number, after removing what it made.
    assert_eq!(status.code(), Some(128 + number), "{status}");
    assert_untouched(d, &before);
    assert!(!d.join("big.pdf").exists() && !d.join("big.json").exists());
    assert!(!d.join("deep").exists(), "the split folder is gone");
}

#[test]
fn sigterm_while_a_big_batch_is_writing_leaves_no_temporary_file() {
    signal_during_batch("-TERM", 15, true);
}

#[test]
fn sigint_while_a_big_batch_is_writing_leaves_nothing() {
    signal_during_batch("-INT", 2, true);
}

#[test]
fn sighup_during_a_big_batch_leaves_nothing() {
    signal_during_batch("-HUP", 1, false);
}

/// A run waiting for its note on standard input (a pipe left open) has no
/// file alive: a signal ends it at once, with 128 + its number.
fn signal_while_reading_standard_input(signal: &str, number: i32) {
    let dir = setup();
    let d = dir.path();
    let before = snapshot(d);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(["render", "-", "-o", "card.pdf"])
        .current_dir(d)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Long enough to be blocked in the read (and past start-up).
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(sent);
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("{signal} did not end a run that was reading its input");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(status.code(), Some(128 + number), "{status}");
    assert_untouched(d, &before);
}

#[test]
fn sigint_while_waiting_for_input_ends_the_run() {
    signal_while_reading_standard_input("-INT", 2);
}

#[test]
fn sigterm_while_waiting_for_input_ends_the_run() {
    signal_while_reading_standard_input("-TERM", 15);
}

// "Nothing empty passes as done"

#[test]
fn header_only_csv_is_refused() {
    let dir = setup();
    write(dir.path(), "empty.csv", "name\n");
    refused(
        dir.path(),
        &["batch", "t.toml", "--data", "empty.csv", "-o", "keep.pdf"],
        &["empty.csv: the list has no recipient rows"],
    );
    refused(
        dir.path(),
        &["envelopes", "--data", "empty.csv", "-o", "keep.pdf"],
        &["no recipient rows"],
    );
}

#[test]
fn selection_that_leaves_no_card_is_refused() {
    let dir = setup();
    let d = dir.path();
    refused(
        d,
        &[
            "batch", "t.toml", "--data", "r.csv", "-o", "keep.pdf", "--from", "3",
        ],
        &["--from: there is no card 3: the batch has 2 cards"],
    );
    write(d, "zero.csv", "name,n\nAnn,0\nBob,0\n");
    refused(
        d,
        &[
            "batch",
            "t.toml",
            "--data",
            "zero.csv",
            "-o",
            "keep.pdf",
            "--copies-column",
            "n",
        ],
        &["the batch makes no cards"],
    );
}

// "Changes to the profiles file are made under a lock"

#[test]
fn twenty_concurrent_profile_sets_keep_twenty_profiles() {
    let dir = setup();
    let d = dir.path();
    let children: Vec<_> = (0..20)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_stationer"))
                .args(["profile", "set", &format!("p{i}"), "--offset-x", "1mm"])
                .args(["--profiles", "profiles.toml"])
                .current_dir(d)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = stationer(d, &["profile", "list", "--profiles", "profiles.toml"]);
    let listed = stdout(&o)
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| w.len() <= 3 && w.starts_with('p'))
        })
        .count();
    assert_eq!(listed, 20, "{}", stdout(&o));
    assert_eq!(temps(d), Vec::<PathBuf>::new());
}

// "Every input is read with a limit"

#[test]
fn devices_as_inputs_are_refused_at_once() {
    let dir = setup();
    let d = dir.path();
    let logo = std::fs::read_to_string(root().join("samples/logo-card.toml")).unwrap();
    for dev in ["/dev/zero", "/dev/urandom"] {
        let _ = std::fs::remove_file(d.join("dev.ttf"));
        let _ = std::fs::remove_file(d.join("dev.png"));
        std::os::unix::fs::symlink(dev, d.join("dev.ttf")).unwrap();
        std::os::unix::fs::symlink(dev, d.join("dev.png")).unwrap();
        write(
            d,
            "font.toml",
            std::fs::read_to_string(d.join("d.toml"))
                .unwrap()
                .replace("font = \"caladea\"", "font = \"dev.ttf\""),
        );
        write(d, "image.toml", logo.replace("logo.png", "dev.png"));
        let cases: [&[&str]; 7] = [
            &["render", dev, "-o", "c.pdf"],
            &["render", "n.toml", "--layout", "font.toml", "-o", "c.pdf"],
            &["render", "n.toml", "--layout", "image.toml", "-o", "c.pdf"],
            &["batch", "t.toml", "--data", dev, "-o", "c.pdf"],
            &["preview", "n.toml", "--background", dev, "-o", "c.png"],
            &[
                "envelopes",
                "--data",
                "r.csv",
                "--return-address",
                dev,
                "-o",
                "c.pdf",
            ],
            &["print", dev, "--dry-run"],
        ];
        for args in cases {
            let before = snapshot(d);
            let (o, took) = run_within(d, args, Duration::from_secs(20));
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains("a character device, not a regular file"),
                "{args:?}: {err}"
            );
            assert!(took < Duration::from_secs(2), "{args:?} took {took:?}");
            assert_untouched(d, &before);
        }
    }
}

#[test]
fn fifo_as_input_does_not_hang() {
    let dir = setup();
    let d = dir.path();
    if !mkfifo(&d.join("fifo.toml")) || !mkfifo(&d.join("fifo.csv")) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    for args in [
        &["render", "fifo.toml", "-o", "c.pdf"][..],
        &["batch", "t.toml", "--data", "fifo.csv", "-o", "c.pdf"],
        &["render", "n.toml", "--layout", "./fifo.toml", "-o", "c.pdf"],
    ] {
        let before = snapshot(d);
        let (o, took) = run_within(d, args, Duration::from_secs(20));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("a FIFO (named pipe), not a regular file"),
            "{err}"
        );
        assert!(took < Duration::from_secs(2), "{args:?} took {took:?}");
        assert_untouched(d, &before);
    }
}

#[test]
fn limits_are_given_in_their_unit() {
    let dir = setup();
    let d = dir.path();
    // A sparse file larger than the font limit: nothing of it is read.
    let f = std::fs::File::create(d.join("big.ttf")).unwrap();
    f.set_len(60 * 1024 * 1024).unwrap();
    write(
        d,
        "font.toml",
        std::fs::read_to_string(d.join("d.toml"))
            .unwrap()
            .replace("font = \"caladea\"", "font = \"big.ttf\""),
    );
    refused(
        d,
        &["render", "n.toml", "--layout", "font.toml", "-o", "c.pdf"],
        &["larger than the 50 MiB limit"],
    );
}

// "`batch --print` writes its outputs first and then submits the PDF"

#[test]
fn failed_print_submission_keeps_the_written_pdf() {
    let dir = setup();
    let d = dir.path();
    let empty = d.join("empty-path");
    std::fs::create_dir(&empty).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(["batch", "t.toml", "--data", "r.csv", "-o", "cards.pdf"])
        .args(["--print", "--printer", "office"])
        .current_dir(d)
        .env("PATH", &empty)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the CUPS print spooler is not installed"),
        "{err}"
    );
    assert!(
        err.contains("cards.pdf is written; print it later with stationer print cards.pdf"),
        "{err}"
    );
    assert!(std::fs::read(d.join("cards.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));
    assert_eq!(temps(d), Vec::<PathBuf>::new());
}

// "(The profiles file is the exception: when it is a link, `profile set`
// changes the file it points to.)"

#[test]
fn profiles_file_behind_a_link_is_changed_where_it_points() {
    let dir = setup();
    let d = dir.path();
    std::fs::create_dir(d.join("dotfiles")).unwrap();
    std::os::unix::fs::symlink("dotfiles/profiles.toml", d.join("profiles.toml")).unwrap();
    for name in ["office", "home"] {
        let o = stationer(
            d,
            &[
                "profile",
                "set",
                name,
                "--offset-x",
                "1mm",
                "--profiles",
                "profiles.toml",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert!(std::fs::symlink_metadata(d.join("profiles.toml"))
        .unwrap()
        .file_type()
        .is_symlink());
    let text = std::fs::read_to_string(d.join("dotfiles/profiles.toml")).unwrap();
    assert!(
        text.contains("[office]") && text.contains("[home]"),
        "{text}"
    );
    assert_eq!(temps(d), Vec::<PathBuf>::new());
}

// "`print` reads a PDF of at most 256 MiB, and refuses a larger one
// without reading it"

#[test]
fn print_refuses_a_huge_pdf_without_reading_it() {
    let dir = setup();
    let d = dir.path();
    let o = stationer(d, &["render", "n.toml", "-o", "c.pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = std::fs::read(d.join("c.pdf")).unwrap();
    // The card, 4 GiB of nothing (sparse), and the card again.
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::File::create(d.join("big.pdf")).unwrap();
    f.write_all(&pdf).unwrap();
    f.seek(SeekFrom::Current(4 << 30)).unwrap();
    f.write_all(&pdf).unwrap();
    drop(f);
    // Under a 1 GiB address-space limit: reading the whole file could not
    // succeed, so a clear refusal shows it was not read.
    let started = std::time::Instant::now();
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1048576 && exec '{}' print big.pdf --printer office --dry-run",
            env!("CARGO_BIN_EXE_stationer")
        ))
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("read only up to 256 MiB"),
        "{}",
        stderr(&o)
    );
    assert!(started.elapsed().as_secs_f32() < 2.0);
    // A card-sized PDF prints as before.
    let o = stationer(d, &["print", "c.pdf", "--printer", "office", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("media=Custom.5.5x4.25in"),
        "{}",
        stdout(&o)
    );
}
