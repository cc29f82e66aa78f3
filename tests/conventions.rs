//! The conventions of a command-line tool: completions, man page, `-` for
//! standard input and output, `check --format json`, `init`,
//! `layouts --show`, `extends`, suggestions, exit codes, PNG resolution,
//! and watch mode.

mod common;

use common::{
    assert_fails, assert_untouched, root, snapshot, stationer, stderr, stdout, with_stdin,
};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn sample() -> String {
    std::fs::read_to_string(root().join("samples/note.toml")).unwrap()
}

#[test]
fn completions_parse_in_their_shells() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = stationer(dir.path(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(
            script.contains("serve") && script.contains("render"),
            "{shell}"
        );
        std::fs::write(dir.path().join(shell), &script).unwrap();
    }
    let bash = Command::new("bash")
        .arg("-n")
        .arg(dir.path().join("bash"))
        .output()
        .unwrap();
    assert!(
        bash.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&bash.stderr)
    );
    for (shell, args) in [("zsh", vec!["-n"]), ("fish", vec!["--no-execute"])] {
        if let Ok(o) = Command::new(shell)
            .args(&args)
            .arg(dir.path().join(shell))
            .output()
        {
            assert!(
                o.status.success(),
                "{shell}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        } else {
            eprintln!("SKIPPED: {shell} is not installed; its completion script was not parsed");
        }
    }
    assert_eq!(
        stationer(dir.path(), &["completions", "tcsh"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn man_page_renders() {
    let dir = tempfile::tempdir().unwrap();
    let o = stationer(dir.path(), &["man"]);
    assert!(o.status.success());
    let roff = stdout(&o);
    assert!(roff.starts_with(".ie") || roff.contains(".TH"), "roff");
    std::fs::write(dir.path().join("stationer.1"), &roff).unwrap();
    if !common::have_tool("man") {
        return;
    }
    let out = Command::new("man")
        .args(["-l", "stationer.1"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "man -l: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["NAME", "SYNOPSIS", "stationer", "serve", "completions"] {
        assert!(text.contains(word), "man page shows {word}:\n{text}");
    }
}

#[test]
fn dash_reads_the_note_from_stdin_and_writes_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.toml"), sample()).unwrap();
    let file = stationer(dir.path(), &["render", "note.toml", "-o", "card.pdf"]);
    assert!(file.status.success());
    let piped = with_stdin(dir.path(), &["render", "-", "-o", "-"], sample().as_bytes());
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(piped.stdout.starts_with(b"%PDF-"));
    let from_file = std::fs::read(dir.path().join("card.pdf")).unwrap();
    assert_eq!(piped.stdout.len(), from_file.len());
    let png = with_stdin(
        dir.path(),
        &["preview", "-", "-o", "-", "--dpi", "72"],
        sample().as_bytes(),
    );
    assert!(png.status.success());
    assert!(png.stdout.starts_with(b"\x89PNG"));
    let check = with_stdin(dir.path(), &["check", "-"], sample().as_bytes());
    assert!(stdout(&check).contains("size"));
    // Mistakes in a piped note name standard input.
    let bad = with_stdin(
        dir.path(),
        &["check", "-"],
        b"body = \"x\"\nsignr = \"A\"\n",
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("<standard input>:2"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn dash_reads_the_recipient_list_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let template = std::fs::read_to_string(root().join("samples/template.toml")).unwrap();
    let csv = std::fs::read(root().join("samples/recipients.csv")).unwrap();
    let addresses = std::fs::read(root().join("samples/addresses.csv")).unwrap();
    std::fs::write(d.join("template.toml"), &template).unwrap();
    std::fs::write(d.join("list.csv"), &csv).unwrap();
    std::fs::write(d.join("addresses.csv"), &addresses).unwrap();
    let ok = |o: &std::process::Output| assert!(o.status.success(), "{}", stderr(o));
    // The same cards, list, contact sheet and envelopes (each written to
    // standard output) from the piped list as from the file.
    let both_ways = |args: &[&str], list: &str, piped: &[u8]| {
        let from_file = stationer(d, &[args, &[list]].concat());
        let from_pipe = with_stdin(d, &[args, &["-"]].concat(), piped);
        ok(&from_file);
        ok(&from_pipe);
        assert!(!from_pipe.stdout.is_empty(), "{args:?}");
        assert_eq!(from_file.stdout, from_pipe.stdout, "{args:?}");
        from_pipe.stdout
    };
    let pdf = both_ways(
        &["batch", "template.toml", "-o", "-", "--data"],
        "list.csv",
        &csv,
    );
    assert!(pdf.starts_with(b"%PDF-"));
    both_ways(&["check", "template.toml", "--data"], "list.csv", &csv);
    let sheet = [
        "preview",
        "template.toml",
        "-o",
        "-",
        "--dpi",
        "30",
        "--data",
    ];
    assert!(both_ways(&sheet, "list.csv", &csv).starts_with(b"\x89PNG"));
    let envelopes = ["envelopes", "-o", "-", "--data"];
    assert!(both_ways(&envelopes, "addresses.csv", &addresses).starts_with(b"%PDF-"));
    let before = snapshot(d);

    // A mistake in the piped list names standard input and its line.
    let batch = ["batch", "template.toml", "-o", "bad.pdf", "--data", "-"];
    let bad = with_stdin(d, &batch, b"name\nAnn\n\"Bo\n");
    assert_fails(&bad, 1, "<standard input>:3");
    // Standard input is read once: the note and the list cannot both come
    // from it (the list is not read as empty instead).
    let both = with_stdin(
        d,
        &["batch", "-", "--data", "-", "-o", "both.pdf"],
        template.as_bytes(),
    );
    assert_fails(&both, 1, "only one input can come from standard input");
    // --watch watches files; an input that is only ever a file says so.
    let watch = [
        "preview",
        "template.toml",
        "--data",
        "-",
        "-o",
        "w.png",
        "--watch",
    ];
    assert_fails(&with_stdin(d, &watch, &csv), 2, "--watch");
    let address = [
        "envelopes",
        "--data",
        "list.csv",
        "--return-address",
        "-",
        "-o",
        "r.pdf",
    ];
    assert_fails(
        &stationer(d, &address),
        1,
        "read only as the note or the recipient list",
    );

    // Piped input is bounded as a file is: the list at 64 MiB, the note at
    // 1 MiB, refused after reading one byte more (and not all of it).
    let mut big = b"name\n".to_vec();
    big.resize(80 * 1024 * 1024, b'a');
    assert_fails(
        &with_stdin(d, &batch, &big),
        1,
        "larger than the 64 MiB limit",
    );
    let note = with_stdin(
        d,
        &["render", "-", "-o", "big.pdf"],
        &[b'#'; 2 * 1024 * 1024],
    );
    assert_fails(&note, 1, "larger than the 1 MiB limit");
    // None of the refused runs wrote anything or left a temporary file.
    assert_untouched(d, &before);
}

/// The field names the README lists for `check --format json`.
fn readme_check_fields() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- check-json-fields -->")
        .expect("README lists the fields");
    let end = readme[start..].find("<!-- /check-json-fields -->").unwrap() + start;
    readme[start..end]
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

fn has_path(v: &serde_json::Value, path: &str) -> bool {
    let mut v = v;
    for part in path.split('.') {
        let part = part.trim_end_matches("[]");
        let next = if let Some(a) = v.as_array() {
            a.first().and_then(|x| x.get(part))
        } else {
            v.get(part)
        };
        match next {
            Some(n) => v = n,
            None => return false,
        }
    }
    true
}

#[test]
fn check_json_parses_and_names_every_readme_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.toml"), sample()).unwrap();
    let o = stationer(dir.path(), &["check", "note.toml", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["fits"], true);
    assert_eq!(v["design"], "classic-a2");
    let fields = readme_check_fields();
    assert!(fields.len() >= 10, "{fields:?}");
    let long = format!(
        "body = \"{}\"\nsigner = \"A\"\n",
        "Thank you so much for all of it. ".repeat(60)
    );
    std::fs::write(dir.path().join("long.toml"), long).unwrap();
    let o = stationer(dir.path(), &["check", "long.toml", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let bad: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(bad["fits"], false);
    assert!(bad["diagnostics"][0]["hints"][0]
        .as_str()
        .unwrap()
        .starts_with("cut "));
    for f in &fields {
        assert!(
            has_path(&v, f) || has_path(&bad, f),
            "check --format json names {f}: {v}"
        );
    }
    // With a recipient list.
    let o = stationer(
        dir.path(),
        &[
            "check",
            &root().join("samples/template.toml").display().to_string(),
            "--data",
            &root().join("samples/recipients.csv").display().to_string(),
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["cards"].as_array().unwrap().len() > 1);
    assert!(v["cards"][0]["row"].is_number() && v["cards"][0]["font_size"].is_number());
}

#[test]
fn init_writes_a_starter_note_that_renders() {
    let dir = tempfile::tempdir().unwrap();
    let o = stationer(dir.path(), &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.path().join("note.toml")).unwrap();
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() >= 5,
        "commented"
    );
    let o = stationer(dir.path(), &["render", "note.toml", "-o", "card.pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Never over an existing file.
    std::fs::write(dir.path().join("note.toml"), "mine").unwrap();
    let o = stationer(dir.path(), &["init", "note.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("note.toml")).unwrap(),
        "mine"
    );
    let o = stationer(dir.path(), &["init", "-"]);
    assert_eq!(stdout(&o), text);
}

#[test]
fn layouts_show_gives_a_design_file_with_the_same_pdf() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.toml"), sample()).unwrap();
    for name in ["classic-a2", "portrait-a6", "folded-a2", "monogram-a2"] {
        let o = stationer(dir.path(), &["layouts", "--show", name]);
        assert!(o.status.success());
        let file = format!("{name}-copy.toml");
        std::fs::write(dir.path().join(&file), &o.stdout).unwrap();
        let a = stationer(
            dir.path(),
            &["render", "note.toml", "-o", "a.pdf", "--layout", name],
        );
        let b = stationer(
            dir.path(),
            &[
                "render",
                "note.toml",
                "-o",
                "b.pdf",
                "--layout",
                &format!("./{file}"),
            ],
        );
        assert!(
            a.status.success() && b.status.success(),
            "{}{}",
            stderr(&a),
            stderr(&b)
        );
        assert_eq!(
            std::fs::read(dir.path().join("a.pdf")).unwrap(),
            std::fs::read(dir.path().join("b.pdf")).unwrap(),
            "{name}"
        );
    }
    let o = stationer(dir.path(), &["layouts", "--show", "clasic-a2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean \"classic-a2\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn extends_overrides_only_the_keys_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("note.toml"), sample()).unwrap();
    std::fs::write(
        d.join("mine.toml"),
        "extends = \"classic-a2\"\ndescription = \"mine\"\n[body]\nsize = [\"9pt\", \"10pt\"]\n",
    )
    .unwrap();
    let o = stationer(
        d,
        &[
            "check",
            "note.toml",
            "--layout",
            "./mine.toml",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["size_range"], serde_json::json!([9.0, 10.0]));
    assert_eq!(v["font_size"], 10.0);
    assert_eq!(
        v["card"]["width"], 396.0,
        "the card size comes from classic-a2"
    );
    // A chain of files, relative to each other.
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(
        d.join("sub/child.toml"),
        "extends = \"../mine.toml\"\n[margins]\nleft = \"1in\"\n",
    )
    .unwrap();
    let o = stationer(
        d,
        &[
            "check",
            "note.toml",
            "--layout",
            "sub/child.toml",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["size_range"], serde_json::json!([9.0, 10.0]));
    // With no override at all, the same bytes as the name.
    std::fs::write(d.join("same.toml"), "extends = \"portrait-a6\"\n").unwrap();
    stationer(
        d,
        &[
            "render",
            "note.toml",
            "-o",
            "a.pdf",
            "--layout",
            "portrait-a6",
        ],
    );
    stationer(
        d,
        &[
            "render",
            "note.toml",
            "-o",
            "b.pdf",
            "--layout",
            "./same.toml",
        ],
    );
    assert_eq!(
        std::fs::read(d.join("a.pdf")).unwrap(),
        std::fs::read(d.join("b.pdf")).unwrap()
    );
    // Cycles and misspelt names are refused.
    std::fs::write(d.join("x.toml"), "extends = \"y.toml\"\n").unwrap();
    std::fs::write(d.join("y.toml"), "extends = \"x.toml\"\n").unwrap();
    let o = stationer(d, &["check", "note.toml", "--layout", "./x.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("circle"), "{}", stderr(&o));
    std::fs::write(d.join("z.toml"), "extends = \"clasic-a2\"\n").unwrap();
    let o = stationer(d, &["check", "note.toml", "--layout", "./z.toml"]);
    assert!(
        stderr(&o).contains("did you mean \"classic-a2\""),
        "{}",
        stderr(&o)
    );
    // A long chain is bounded.
    for i in 0..12 {
        std::fs::write(
            d.join(format!("c{i}.toml")),
            format!("extends = \"c{}.toml\"\n", i + 1),
        )
        .unwrap();
    }
    std::fs::write(d.join("c12.toml"), "extends = \"classic-a2\"\n").unwrap();
    let o = stationer(d, &["check", "note.toml", "--layout", "./c0.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("more than 8"), "{}", stderr(&o));
}

#[test]
fn suggestions_for_misspellings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("note.toml"), sample()).unwrap();
    let o = stationer(
        d,
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--layout",
            "clasic-a2",
        ],
    );
    assert!(
        stderr(&o).contains("did you mean \"classic-a2\"?"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        d.join("typo.toml"),
        "bdy = \"x\"\nbody = \"y\"\nsigner = \"A\"\n",
    )
    .unwrap();
    let o = stationer(d, &["check", "typo.toml"]);
    assert!(
        stderr(&o).contains("did you mean `body`?"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        d.join("t.toml"),
        "body = \"Thank you, {nme}.\"\nsigner = \"A\"\n",
    )
    .unwrap();
    std::fs::write(d.join("r.csv"), "name,city\nAnn,Oslo\n").unwrap();
    let o = stationer(d, &["check", "t.toml", "--data", "r.csv"]);
    assert!(
        stderr(&o).contains("did you mean {name}?"),
        "{}",
        stderr(&o)
    );
    let o = stationer(d, &["rendr", "note.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("render"), "{}", stderr(&o));
}

#[test]
fn every_command_line_mistake_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("note.toml"), sample()).unwrap();
    let csv = root().join("samples/recipients.csv").display().to_string();
    let tpl = root().join("samples/template.toml").display().to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["preview", "note.toml", "-o", "p.png", "--dpi", "5"],
        vec!["preview", "note.toml", "-o", "p.png", "--dpi", "5000"],
        vec!["batch", &tpl, "--data", &csv, "-o", "b.pdf", "--grid", "2"],
        vec![
            "batch", &tpl, "--data", &csv, "-o", "b.pdf", "--sheet", "8.5x11",
        ],
        vec!["batch", &tpl, "--data", &csv, "-o", "b.pdf", "--skip", "2"],
        vec![
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--layout",
            "no-such-design",
        ],
        vec!["render", "note.toml"],
        vec!["frobnicate"],
        vec!["layouts", "--show", "nope"],
    ];
    for args in cases {
        let o = stationer(d, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!d.join("b.pdf").exists() && !d.join("p.png").exists());
    }
    // An input mistake stays 1.
    std::fs::write(d.join("bad.toml"), "body = 3\n").unwrap();
    assert_eq!(stationer(d, &["check", "bad.toml"]).status.code(), Some(1));
}

#[test]
fn png_previews_record_their_resolution_and_colour_space() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.toml"), sample()).unwrap();
    for dpi in [72u32, 150, 300] {
        let o = stationer(
            dir.path(),
            &[
                "preview",
                "note.toml",
                "-o",
                "p.png",
                "--dpi",
                &dpi.to_string(),
            ],
        );
        assert!(o.status.success());
        let data = std::fs::read(dir.path().join("p.png")).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(data));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        let phys = info.pixel_dims.expect("a pHYs chunk");
        assert_eq!(phys.unit, png::Unit::Meter);
        let back = phys.xppu as f64 * 0.0254;
        assert!(
            (back - dpi as f64).abs() < 0.05,
            "{dpi} dpi recorded as {back}"
        );
        assert_eq!(phys.xppu, phys.yppu);
        assert!(info.srgb.is_some(), "an sRGB chunk");
    }
}

#[test]
fn watch_renders_again_when_the_note_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("note.toml"), sample()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(["render", "note.toml", "-o", "card.pdf", "--watch"])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr_pipe = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr_pipe)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let wait_line = |what: &str| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if let Ok(l) = rx.recv_timeout(Duration::from_millis(100)) {
                if l.contains(what) {
                    return l;
                }
            }
        }
        panic!("no line with {what:?}");
    };
    wait_line("watching");
    let first = std::fs::read(d.join("card.pdf")).unwrap();
    // A change: a new output.
    std::fs::write(
        d.join("note.toml"),
        sample().replace("Alex Morgan", "Sam Lee"),
    )
    .unwrap();
    wait_line("watching");
    let second = std::fs::read(d.join("card.pdf")).unwrap();
    assert_ne!(first, second, "rendered again");
    // A mistake is printed and watching goes on; the last good card stays.
    std::fs::write(d.join("note.toml"), "body = \n").unwrap();
    wait_line("error:");
    wait_line("watching");
    assert_eq!(std::fs::read(d.join("card.pdf")).unwrap(), second);
    std::fs::write(d.join("note.toml"), sample()).unwrap();
    wait_line("wrote card.pdf");
    assert_eq!(std::fs::read(d.join("card.pdf")).unwrap(), first);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn watch_needs_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.toml"), sample()).unwrap();
    let o = stationer(dir.path(), &["preview", "note.toml", "-o", "-", "--watch"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_reader_that_stops_reading_ends_the_run_quietly() {
    // `stationer layouts | head -0`: the pipe is closed before stationer
    // writes (it starts after a pause), so its first write fails.
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "sleep 0.3; exec {} layouts",
            env!("CARGO_BIN_EXE_stationer")
        ))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
