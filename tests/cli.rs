//! The command line: exit codes, messages that say where, and the rule that
//! a failed run writes nothing and leaves an existing file untouched.

mod common;

use common::*;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn long_note() -> String {
    let sentence =
        "Our conversation about the spring catalogue made me even more eager to join the team. ";
    format!(
        "greeting = \"Dear Ms. Rivera,\"\nbody = \"\"\"\n{}\n\"\"\"\nclosing = \"With gratitude,\"\nsigner = \"Alex Morgan\"\n",
        sentence.repeat(12)
    )
}

#[test]
fn too_long_note_is_refused_with_how_much_to_cut_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "long.toml", &long_note());
    let o = stationer(dir.path(), &["render", "long.toml", "-o", "card.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("long.toml"), "{err}");
    assert!(err.contains("does not fit"), "{err}");
    assert!(
        err.contains("cut ") && err.contains(" lines") && err.contains(" words"),
        "{err}"
    );
    assert!(!dir.path().join("card.pdf").exists());

    // An existing file at the output path is left exactly as it was.
    write(dir.path(), "card.pdf", "precious");
    let o = stationer(
        dir.path(),
        &[
            "render",
            "long.toml",
            "-o",
            "card.pdf",
            "--report",
            "r.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("card.pdf")).unwrap(),
        "precious"
    );
    assert!(!dir.path().join("r.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".stationer"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // `check` says the same and exits 1.
    let o = stationer(dir.path(), &["check", "long.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not fit"));
}

#[test]
fn refusal_counts_scale_with_the_excess() {
    let dir = tempfile::tempdir().unwrap();
    let sentence =
        "Our conversation about the spring catalogue made me even more eager to join the team. ";
    let lines_to_cut = |n: usize| {
        write(
            dir.path(),
            "n.toml",
            &format!("body = \"{}\"\nsigner = \"A\"\n", sentence.repeat(n)),
        );
        let err = stderr(&stationer(dir.path(), &["check", "n.toml"]));
        let i = err.find("hint: cut ").expect(&err) + "hint: cut ".len();
        err[i..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    let (a, b) = (lines_to_cut(12), lines_to_cut(20));
    assert!(b > a, "{a} lines for 12 sentences, {b} for 20");
}

#[test]
fn malformed_toml_points_at_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.toml",
        "greeting = \"Hi\"\nbody = \"Thanks\nsigner = \"A\"\n",
    );
    let o = stationer(dir.path(), &["render", "bad.toml", "-o", "c.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("bad.toml:2:"), "{err}");
    assert!(!dir.path().join("c.pdf").exists());
}

#[test]
fn unknown_note_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "n.toml",
        "body = \"Thanks\"\nsigner = \"A\"\nclosng = \"Best,\"\n",
    );
    let o = stationer(dir.path(), &["check", "n.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("n.toml:3:1") && err.contains("closng"),
        "{err}"
    );
}

#[test]
fn unknown_layout_lists_the_designs() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "n.toml",
        "layout = \"clasic\"\nbody = \"Thanks\"\nsigner = \"A\"\n",
    );
    let o = stationer(dir.path(), &["render", "n.toml", "-o", "c.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("clasic"), "{err}");
    for (name, _) in stationer::input::bundled::BUNDLED {
        assert!(err.contains(name), "{err}");
    }
    // The flag overrides the note's layout.
    let o = stationer(
        dir.path(),
        &["render", "n.toml", "-o", "c.pdf", "--layout", "portrait-a6"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn design_errors_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n.toml", "body = \"Thanks\"\nsigner = \"A\"\n");
    let base = std::fs::read_to_string(root().join("layouts/classic-a2.toml")).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        // (replace, with, expected in the message)
        (
            "size = [\"10pt\", \"13pt\"]",
            "size = [\"14pt\", \"13pt\"]",
            "body.size",
        ),
        ("left = \"0.55in\"", "left = \"5in\"", "margins"),
        ("height = \"0.5in\"", "height = \"4in\"", "signature.height"),
        ("align = \"ragged\"", "alignment = \"ragged\"", "alignment"),
        ("leading = 1.3", "leading = \"abc\"", "abc"),
        ("size = \"us-a2\"", "size = \"us-a9\"", "us-a9"),
    ];
    for (from, to, key) in cases {
        let at = base.find(from).expect(from);
        let line = base[..at].matches('\n').count() + 1;
        let place = format!("d.toml:{line}:");
        write(dir.path(), "d.toml", &base.replacen(from, to, 1));
        let o = stationer(dir.path(), &["check", "n.toml", "--layout", "./d.toml"]);
        assert_eq!(o.status.code(), Some(1), "{to}");
        let err = stderr(&o);
        assert!(err.contains(key) && err.contains(&place), "{to}: {err}");
    }
}

#[test]
fn a_character_no_font_has_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "n.toml",
        "body = \"\"\"\nThank you.\nIt was 好 to meet.\n\"\"\"\nsigner = \"A\"\n",
    );
    // Without system fonts: a CJK font installed on the machine would have it.
    let o = stationer(
        dir.path(),
        &["render", "n.toml", "-o", "c.pdf", "--ignore-system-fonts"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("n.toml:3") && err.contains("U+597D"), "{err}");
    assert!(!dir.path().join("c.pdf").exists());
}

#[test]
fn check_prints_size_lines_and_fullness() {
    let o = stationer(&root(), &["check", "samples/note.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("size ") && out.contains("pt"), "{out}");
    assert!(out.contains("lines ") && out.contains("full "), "{out}");
}

#[test]
fn layouts_lists_every_bundled_design() {
    let o = stationer(&root(), &["layouts"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for (name, _) in stationer::input::bundled::BUNDLED {
        assert!(
            out.lines()
                .any(|l| l.starts_with(name) && l.contains(" in ")),
            "{out}"
        );
    }
}

#[test]
fn usage_errors_exit_2_and_help_teaches() {
    let dir = tempfile::tempdir().unwrap();
    let o = stationer(dir.path(), &["render", "n.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = stationer(dir.path(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = stationer(dir.path(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Examples:"));
}

#[test]
fn output_that_is_a_directory_or_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "n.toml", "body = \"Thanks\"\nsigner = \"A\"\n");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let o = stationer(dir.path(), &["render", "n.toml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("directory"), "{}", stderr(&o));
    let o = stationer(dir.path(), &["render", "n.toml", "-o", "n.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("n.toml")).unwrap(),
        "body = \"Thanks\"\nsigner = \"A\"\n"
    );
}
