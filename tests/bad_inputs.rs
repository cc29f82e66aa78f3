//! The catalogue of bad inputs: each case gets exit 1, a clear message, no
//! panic, and leaves every file as it was (no output, nothing overwritten).

mod common;

use common::*;
use std::path::Path;

const NOTE: &str = "greeting = \"Dear Ms. Rivera,\"\nbody = \"Thank you for the tour.\"\nsigner = \"Alex Morgan\"\n";
const TEMPLATE: &str =
    "greeting = \"Dear {name},\"\nbody = \"Thank you for the tour.\"\nsigner = \"Alex Morgan\"\n";

fn design_with(from: &str, to: &str) -> String {
    let base = std::fs::read_to_string(root().join("layouts/classic-a2.toml")).unwrap();
    assert!(base.contains(from), "{from}");
    base.replacen(from, to, 1)
}

struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<&'static str>,
    expect: &'static [&'static str],
}

fn case(
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    args: &[&'static str],
    expect: &'static [&'static str],
) -> Case {
    Case {
        name,
        files,
        args: args.to_vec(),
        expect,
    }
}

fn text(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn cases() -> Vec<Case> {
    let subsetter_crasher =
        std::fs::read(root().join("fuzz/regressions/font/font-subsetter-name-overflow.bin"))
            .unwrap();
    let huge_png = png_of_zeros(12_000, 3_333);
    let long_key = "k".repeat(1_000_000);
    let long_header = format!("{long_key},{long_key}\nA,B\n");
    let many_elements = {
        let mut d = std::fs::read_to_string(root().join("layouts/classic-a2.toml")).unwrap();
        for _ in 0..14_000 {
            d.push_str("\n[[text]]\ntext = \"x\"\nat = [\"0.1in\", \"0.1in\"]\nsize = \"6pt\"\n");
        }
        d
    };
    let many_copies = {
        let mut s = String::from("name,n\n");
        for i in 0..100_000 {
            s.push_str(&format!("P{i},100\n"));
        }
        s.into_bytes()
    };
    let three_huge_images = {
        let mut d = std::fs::read_to_string(root().join("layouts/classic-a2.toml")).unwrap();
        for i in 0..3 {
            d.push_str(&format!(
                "\n[[image]]\nfile = \"big.png\"\nat = [\"{}in\", \"0.05in\"]\nheight = \"0.1in\"\n",
                0.1 + 1.2 * i as f32
            ));
        }
        d
    };
    let blank_lines = format!(
        "body = \"\"\"\nHi\n{}\"\"\"\nsigner = \"A\"\n",
        "\n.\n".repeat(60)
    );
    let real_png = std::fs::read(root().join("tests/ref/classic-a2.png")).unwrap();
    let big_csv = {
        let mut s = String::from("name\n");
        for i in 0..100_000 {
            s.push_str(&format!("P{i}\n"));
        }
        s.into_bytes()
    };
    let deep = format!(
        "body = \"x\"\nsigner = \"y\"\nz = {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    vec![
        // Notes.
        case(
            "note: wrong type",
            vec![("n.toml", text("body = 5\nsigner = \"A\"\n"))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml:1:8", "invalid type"],
        ),
        case(
            "note: missing body",
            vec![("n.toml", text("signer = \"A\"\n"))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml", "body"],
        ),
        case(
            "note: empty file",
            vec![("n.toml", Vec::new())],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml", "missing field"],
        ),
        case(
            "note: deep nesting",
            vec![("n.toml", text(&deep))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml:3", "recursion"],
        ),
        case(
            "note: not UTF-8",
            vec![("n.toml", b"body = \"\xff\"\nsigner = \"A\"\n".to_vec())],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml", "not UTF-8"],
        ),
        case(
            "note: control character",
            vec![("n.toml", text("body = \"a\\u0007b\"\nsigner = \"A\"\n"))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml:1", "U+0007"],
        ),
        case(
            "note: huge",
            vec![(
                "n.toml",
                text(&format!(
                    "body = \"{}\"\nsigner = \"A\"\n",
                    "word ".repeat(300_000)
                )),
            )],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml", "limit"],
        ),
        case(
            "note: missing file",
            vec![],
            &["render", "nothere.toml", "-o", "out.pdf"],
            &["nothere.toml", "no such file"],
        ),
        case(
            "note: is a directory",
            vec![("d/x", Vec::new())],
            &["render", "d", "-o", "out.pdf"],
            &["directory"],
        ),
        // Designs.
        case(
            "design: huge number",
            vec![
                ("n.toml", text(NOTE)),
                ("d.toml", text(&design_with("\"13pt\"]", "\"1e308pt\"]"))),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "out of range"],
        ),
        case(
            "design: NaN",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("leading = 1.3", "leading = nan")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "body.leading"],
        ),
        case(
            "design: negative size",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with(
                        "[\"10pt\", \"13pt\"]",
                        "[\"-10pt\", \"13pt\"]",
                    )),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "body.size"],
        ),
        case(
            "design: zero signature",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("height = \"0.5in\"", "height = \"0pt\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "signature.height"],
        ),
        case(
            "design: 10 km card",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with(
                        "size = \"us-a2\"",
                        "width = \"10000000mm\"\nheight = \"5in\"",
                    )),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "out of range"],
        ),
        case(
            "design: absurd but parseable size",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with(
                        "size = \"us-a2\"",
                        "width = \"99in\"\nheight = \"5in\"",
                    )),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "1in to 48in"],
        ),
        case(
            "design: corrupt font",
            vec![
                ("n.toml", text(NOTE)),
                ("bad.ttf", vec![0, 1, 0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8]),
                (
                    "d.toml",
                    text(&design_with("font = \"caladea\"", "font = \"bad.ttf\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml", "bad.ttf", "not a usable"],
        ),
        case(
            "design: not a font",
            vec![
                ("n.toml", text(NOTE)),
                ("notes.ttf", text("just some text")),
                (
                    "d.toml",
                    text(&design_with("font = \"caladea\"", "font = \"notes.ttf\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["notes.ttf", "not a usable"],
        ),
        case(
            "design: font whose name table overflows the subsetter",
            vec![
                ("n.toml", text(NOTE)),
                ("name.ttf", subsetter_crasher.clone()),
                (
                    "d.toml",
                    text(&design_with("font = \"caladea\"", "font = \"name.ttf\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml", "name.ttf", "broken name table"],
        ),
        case(
            "design: missing font file",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("font = \"caladea\"", "font = \"gone.otf\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["gone.otf", "no such file"],
        ),
        // Images.
        case(
            "background: truncated",
            vec![
                ("n.toml", text(NOTE)),
                ("t.png", real_png[..real_png.len() / 3].to_vec()),
            ],
            &[
                "preview",
                "n.toml",
                "--background",
                "t.png",
                "-o",
                "out.png",
            ],
            &["t.png"],
        ),
        case(
            "background: decompression bomb",
            vec![
                ("n.toml", text(NOTE)),
                ("bomb.png", png_claiming(100_000, 100_000)),
            ],
            &[
                "preview",
                "n.toml",
                "--background",
                "bomb.png",
                "-o",
                "out.png",
            ],
            &["bomb.png", "limit"],
        ),
        case(
            "background: not an image",
            vec![("n.toml", text(NOTE)), ("x.jpg", text("hello"))],
            &[
                "preview",
                "n.toml",
                "--background",
                "x.jpg",
                "-o",
                "out.png",
            ],
            &["x.jpg"],
        ),
        // Recipient lists.
        case(
            "csv: unbalanced quotes",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name\n\"Ann\nBob\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:2", "never closed"],
        ),
        case(
            "csv: ragged rows",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name,x\nAnn,1\nBob\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:3", "row 2 has 1 fields"],
        ),
        case(
            "csv: invalid UTF-8",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", b"name\nAnn\n\xc3\x28\n".to_vec()),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:3", "not UTF-8"],
        ),
        case(
            "csv: 100,000 rows",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", big_csv.clone())],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["100000 cards", "--max-cards"],
        ),
        case(
            "csv: empty",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", Vec::new())],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv", "empty"],
        ),
        case(
            "csv: duplicate column",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name,name\na,b\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:1", "twice"],
        ),
        case(
            "csv: a directory",
            vec![("n.toml", text(TEMPLATE)), ("r.csv/x", Vec::new())],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["directory"],
        ),
        // Outputs.
        case(
            "output: a directory",
            vec![("n.toml", text(NOTE)), ("out.pdf/keep", text("x"))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["out.pdf", "directory"],
        ),
        case(
            "output: folder missing",
            vec![("n.toml", text(NOTE))],
            &["render", "n.toml", "-o", "nowhere/out.pdf"],
            &["does not exist"],
        ),
        case(
            "output: unwritable",
            vec![("n.toml", text(NOTE))],
            &["render", "n.toml", "-o", "/proc/self/out.pdf"],
            &["cannot write"],
        ),
        case(
            "output: same as the input",
            vec![("n.toml", text(NOTE))],
            &["render", "n.toml", "-o", "n.toml"],
            &["is the note", "refusing to write over it"],
        ),
        case(
            "output: report same as the input",
            vec![("n.toml", text(NOTE))],
            &["render", "n.toml", "-o", "c.pdf", "--report", "n.toml"],
            &["is the note", "refusing to write over it"],
        ),
        case(
            "output: batch over its CSV",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", text("name\nAnn\n"))],
            &["batch", "n.toml", "--data", "r.csv", "-o", "r.csv"],
            &["refusing"],
        ),
        // Echoed input is escaped and cut (no terminal codes, no megabyte messages).
        case(
            "echo: terminal codes in a CSV header",
            vec![
                ("n.toml", text("body = \"Hi {nmae}\"\nsigner = \"A\"\n")),
                ("r.csv", text("name,\u{1b}]0;owned\u{7}\u{1b}[2J\nAnn,1\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["n.toml:1", "{nmae}", "\\u{1b}]0;owned\\u{7}\\u{1b}[2J"],
        ),
        case(
            "echo: terminal codes in a duplicate column",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("\u{1b}[2J,\u{1b}[2J\na,b\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:1", "\"\\u{1b}[2J\" twice"],
        ),
        case(
            "echo: a 1 MB column name",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", text(&long_header))],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:1", "twice", "kkkk…\""],
        ),
        case(
            "echo: a 1 MB unknown key",
            vec![(
                "n.toml",
                text(&format!("body = \"x\"\nsigner = \"y\"\n{long_key} = 1\n")),
            )],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml:3", "unknown field", "kkkk…`"],
        ),
        case(
            "echo: a bidi override in a key",
            vec![(
                "n.toml",
                text("body = \"x\"\nsigner = \"y\"\n\"\\u202egpj.exe\\u001b\" = 1\n"),
            )],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml:3", "\\u{202e}gpj.exe\\u{1b}"],
        ),
        case(
            "echo: escape codes in a card size",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("size = \"us-a2\"", "size = \"\\u001b[2J\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:5", "unknown size \"\\u{1b}[2J\""],
        ),
        case(
            "echo: a bidi override in a colour",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("leading = 1.3", "leading = 1.3\ncolor = \"\\u202e#fff\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "body.color: \"\\u{202e}#fff\" is not a colour"],
        ),
        case(
            "echo: escape codes in a font name",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("font = \"caladea\"", "font = \"\\u001b]0;x\\u0007\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "unknown font \"\\u{1b}]0;x\\u{7}\""],
        ),
        case(
            "echo: escape codes in a font path",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("font = \"caladea\"", "font = \"x\\u001b[2J.ttf\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["x\\u{1b}[2J.ttf", "no such file"],
        ),
        case(
            "echo: escape codes in an orientation",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("orientation = \"landscape\"", "orientation = \"\\u001b[5m\"")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:6", "\"\\u{1b}[5m\" is neither"],
        ),
        case(
            "echo: escape codes in a length",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&design_with("[\"10pt\", \"13pt\"]", "[\"\\u001b10pt\", \"13pt\"]")),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "length \"\\u{1b}10pt\""],
        ),
        case(
            "echo: escape codes in a layout name",
            vec![("n.toml", text("layout = \"\\u001b[2J\"\nbody = \"x\"\nsigner = \"y\"\n"))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["unknown layout \"\\u{1b}[2J\""],
        ),
        case(
            "echo: escape codes in a number of copies",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name,n\nAnn,\u{1b}[2J\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf", "--copies-column", "n"],
            &["r.csv:2", "column \"n\": \"\\u{1b}[2J\" is not a number of copies"],
        ),
        case(
            "echo: escape codes in --copies-column",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", text("name\nAnn\n"))],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf", "--copies-column", "n\u{1b}[2J"],
            &["--copies-column", "has no column \"n\\u{1b}[2J\""],
        ),
        case(
            "echo: escape codes in --split-name",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", text("name\nAnn\n"))],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf", "--split", "cards", "--split-name", "{\u{1b}[2J}"],
            &["--split-name", "{\\u{1b}[2J} names no column"],
        ),
        case(
            "echo: escape codes in --sheet",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", text("name\nAnn\n"))],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf", "--sheet", "\u{1b}[2J"],
            &["--sheet", "unknown sheet \"\\u{1b}[2J\""],
        ),
        case(
            "echo: escape codes in --grid",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", text("name\nAnn\n"))],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf", "--sheet", "letter", "--grid", "\u{1b}x2"],
            &["--grid", "\"\\u{1b}x2\" is not COLSxROWS"],
        ),
        case(
            "echo: escape codes in an envelope size",
            vec![("r.csv", text("name,address1,city\nAnn,1 Main St,Springfield\n"))],
            &["envelopes", "--data", "r.csv", "-o", "env.pdf", "--size", "\u{1b}[2J"],
            &["--size", "\"\\u{1b}[2J\" is not an envelope size"],
        ),
        case(
            "echo: escape codes in a profile name",
            vec![],
            &["profile", "set", "\u{1b}[2J", "--offset-x", "1mm", "--profiles", "p.toml"],
            &["\"\\u{1b}[2J\" cannot name a profile"],
        ),
        // Printer queue names: one check for print and profiles.
        case(
            "printer: a space in --printer",
            vec![("card.pdf", text("%PDF-1.4\n"))],
            &["print", "card.pdf", "--printer", "off ice", "--dry-run"],
            &["\"off ice\" is not a printer queue name"],
        ),
        case(
            "printer: a space in a profile's printer, at profile set",
            vec![],
            &["profile", "set", "office", "--printer", "off ice", "--profiles", "p.toml"],
            &["\"off ice\" is not a printer queue name"],
        ),
        case(
            "printer: a space in a saved profile's printer",
            vec![
                ("card.pdf", text("%PDF-1.4\n")),
                ("p.toml", text("[office]\noffset_x = \"1mm\"\nprinter = \"off ice\"\n")),
            ],
            &["print", "card.pdf", "--profile", "office", "--profiles", "p.toml", "--dry-run"],
            &["p.toml:3", "\"off ice\" is not a printer queue name"],
        ),
        case(
            "printer: an empty instance",
            vec![("card.pdf", text("%PDF-1.4\n"))],
            &["print", "card.pdf", "--printer", "office/", "--dry-run"],
            &["\"office/\" is not a printer queue name"],
        ),
        case(
            "printer: a queue that looks like an option",
            vec![("card.pdf", text("%PDF-1.4\n"))],
            &["print", "card.pdf", "--printer=-x", "--dry-run"],
            &["is not a printer queue name"],
        ),
        case(
            "printer: a space in a tray, at profile set",
            vec![],
            &["profile", "set", "office", "--tray", "Tray 2", "--profiles", "p.toml"],
            &["\"Tray 2\" is not a tray name"],
        ),
        // Errors name the right line.
        case(
            "line: CR-only line ends",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name,x\r\"Ann\",1\rBob,2\rCy\r")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:4", "row 3 has 1 fields"],
        ),
        case(
            "line: a bare quote inside an unquoted field",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name\nAnn\nBob\nC\"y\nDee\nEve\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:4", "a quote inside a field"],
        ),
        case(
            "line: a quoted field never closed",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name\nAnn\n\"Bob\nCy\nDee\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:3", "never closed"],
        ),
        case(
            "line: a dotted key extending a string",
            vec![("n.toml", text("body = \"x\"\nsigner = \"y\"\nbody.x = 1\n"))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml:3", "dotted key"],
        ),
        case(
            "line: a table opened twice",
            vec![
                ("n.toml", text(NOTE)),
                ("d.toml", text(&design_with("[closing]", "[greeting]"))),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:25", "duplicate key"],
        ),
        case(
            "line: a card with a width and no height",
            vec![
                ("n.toml", text(NOTE)),
                ("d.toml", text(&design_with("size = \"us-a2\"", "width = \"5in\""))),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:4", "card: give either"],
        ),
        // Work is bounded.
        case(
            "limit: 14,000 design elements",
            vec![("n.toml", text(NOTE)), ("d.toml", text(&many_elements))],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml", "14000 elements", "the limit is 1000"],
        ),
        case(
            "limit: 10,000,000 copies",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", many_copies)],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf", "--split", "cards", "--copies-column", "n"],
            &["10000000 cards", "--max-cards"],
        ),
        case(
            "limit: a contact sheet of 100,000 rows",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", big_csv.clone())],
            &["preview", "n.toml", "--data", "r.csv", "-o", "sheet.png"],
            &["100000 cards", "the limit is 1000"],
        ),
        case(
            "limit: a 40-megapixel image in three entries",
            vec![
                ("n.toml", text(NOTE)),
                ("big.png", huge_png),
                ("d.toml", text(&three_huge_images)),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "119 megapixels", "limit for a design is 80"],
        ),
        case(
            "limit: a preview below the lowest dpi",
            vec![("n.toml", text(NOTE))],
            &["preview", "n.toml", "-o", "p.png", "--dpi", "5"],
            &["--dpi", "5 is not in 10..=1200"],
        ),
        case(
            "fit: more lines over than the body has",
            vec![("n.toml", text(&blank_lines))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["does not fit", "lines of the note"],
        ),
        case(
            "image: a folder",
            vec![
                ("n.toml", text(NOTE)),
                ("logo.png/x", Vec::new()),
                (
                    "d.toml",
                    text(&format!(
                        "{}\n[[image]]\nfile = \"logo.png\"\nat = [\"0.1in\", \"0.05in\"]\nheight = \"0.3in\"\n",
                        design_with("", "")
                    )),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "logo.png"],
        ),
        case(
            "image: not an image",
            vec![
                ("n.toml", text(NOTE)),
                ("logo.png", text("hello")),
                (
                    "d.toml",
                    text(&format!(
                        "{}\n[[image]]\nfile = \"logo.png\"\nat = [\"0.1in\", \"0.05in\"]\nheight = \"0.3in\"\n",
                        design_with("", "")
                    )),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "not a png or jpeg"],
        ),
        case(
            "image: a header claiming 100,000 pixels a side",
            vec![
                ("n.toml", text(NOTE)),
                ("logo.png", png_claiming(100_000, 100_000)),
                (
                    "d.toml",
                    text(&format!(
                        "{}\n[[image]]\nfile = \"logo.png\"\nat = [\"0.1in\", \"0.05in\"]\nheight = \"0.3in\"\n",
                        design_with("", "")
                    )),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["d.toml:", "too large"],
        ),
        case(
            "echo: a bidi override in a column list",
            vec![
                ("n.toml", text("body = \"Hi {nmae}\"\nsigner = \"A\"\n")),
                ("r.csv", text("name,\u{202e}fdp.exe\nAnn,1\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["columns: name, \\u{202e}fdp.exe"],
        ),
        case(
            "echo: a 1 MB layout name",
            vec![(
                "n.toml",
                text(&format!("layout = \"{long_key}\"\nbody = \"x\"\nsigner = \"y\"\n")),
            )],
            &["render", "n.toml", "-o", "out.pdf"],
            &["unknown layout \"kkkk", "…\""],
        ),
        case(
            "echo: escape codes in an unclosed --split-name",
            vec![("n.toml", text(TEMPLATE)), ("r.csv", text("name\nAnn\n"))],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf", "--split", "cards", "--split-name", "{\u{1b}[2J"],
            &["--split-name", "\"{\\u{1b}[2J\""],
        ),
        case(
            "echo: escape codes in an unclosed --city-line",
            vec![("r.csv", text("name,address1,city\nAnn,1 Main St,Springfield\n"))],
            &["envelopes", "--data", "r.csv", "-o", "env.pdf", "--city-line", "{city\u{1b}[2J"],
            &["--city-line", "\\u{1b}[2J"],
        ),
        case(
            "echo: escape codes in --tray",
            vec![("card.pdf", text("%PDF-1.4\n"))],
            &["print", "card.pdf", "--tray", "T\u{1b}[2J", "--dry-run"],
            &["\"T\\u{1b}[2J\" is not a tray name"],
        ),
        case(
            "printer: a quote in a queue name",
            vec![("card.pdf", text("%PDF-1.4\n"))],
            &["print", "card.pdf", "--printer", "a'b", "--dry-run"],
            &["is not a printer queue name"],
        ),
        case(
            "line: a duplicate key in a note",
            vec![("n.toml", text("body = \"x\"\nsigner = \"y\"\nbody = \"z\"\n"))],
            &["render", "n.toml", "-o", "out.pdf"],
            &["n.toml:3", "duplicate key"],
        ),
        case(
            "line: a bare quote in a CRLF file",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("name,x\r\nAnn,1\r\nB\"ob,2\r\nCy,3\r\n")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:3", "a quote inside a field"],
        ),
        case(
            "line: CR-only with a byte-order mark",
            vec![
                ("n.toml", text(TEMPLATE)),
                ("r.csv", text("\u{feff}name,x\rAnn,1\rBob\r")),
            ],
            &["batch", "n.toml", "--data", "r.csv", "-o", "out.pdf"],
            &["r.csv:3", "row 2 has 1 fields"],
        ),
        case(
            "limit: 1,001 rules",
            vec![
                ("n.toml", text(NOTE)),
                (
                    "d.toml",
                    text(&format!(
                        "{}{}",
                        design_with("", ""),
                        "\n[[rule]]\nfrom = [\"0.1in\", \"0.1in\"]\nto = [\"0.2in\", \"0.1in\"]\n".repeat(1001)
                    )),
                ),
            ],
            &["render", "n.toml", "--layout", "./d.toml", "-o", "out.pdf"],
            &["1001 elements", "the limit is 1000"],
        ),
    ]
}

#[test]
fn every_bad_input_fails_cleanly_and_changes_nothing() {
    let mut failures = Vec::new();
    for c in cases() {
        let dir = tempfile::tempdir().unwrap();
        for (name, data) in &c.files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, data).unwrap();
        }
        let before = snapshot(dir.path());
        let start = std::time::Instant::now();
        let o = stationer(dir.path(), &c.args);
        let took = start.elapsed();
        let err = stderr(&o);
        let after = snapshot(dir.path());
        let mut problems = Vec::new();
        // Exit 2 for a mistake in an option's value (the message names the
        // flag and no file), 1 for everything else, as the README says;
        // --max-cards, --from and --duplex are about what the input holds.
        let first = err.lines().next().unwrap_or("");
        let option_mistake = (first.starts_with("error: --")
            && !["--max-cards:", "--from:", "--duplex:"]
                .iter()
                .any(|f| first.starts_with(&format!("error: {f}"))))
            || first.starts_with("error: invalid value");
        let want = if option_mistake { 2 } else { 1 };
        if o.status.code() != Some(want) {
            problems.push(format!("exit {:?}, not {want}", o.status.code()));
        }
        if err.contains("panicked") {
            problems.push("panicked".into());
        }
        for e in c.expect {
            if !err.contains(e) {
                problems.push(format!("message lacks {e:?}"));
            }
        }
        if before != after {
            let changed: Vec<_> = after
                .keys()
                .filter(|k| before.get(*k) != after.get(*k))
                .collect();
            problems.push(format!("files changed: {changed:?}"));
        }
        if err.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}']) {
            problems.push("raw terminal or bidi codes in the message".into());
        }
        if err.len() > 2_000 {
            problems.push(format!("message of {} bytes", err.len()));
        }
        if took.as_secs_f32() > 10.0 {
            problems.push(format!("took {took:?}"));
        }
        if err.lines().count() > 6 {
            problems.push("message longer than 6 lines".into());
        }
        eprintln!(
            "{:<38} exit {:?}: {}",
            c.name,
            o.status.code(),
            err.lines().next().unwrap_or("")
        );
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n  stderr: {err}",
                c.name,
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A 40-megapixel 16-bit PNG (2 MB on disk, 320 MB decoded) named by eight
/// `[[image]]` entries: refused by the design's image budget before any is
/// decoded, with exit 1, well under 600 MB, and no panic when the address
/// space is limited to 1.5 GB.
#[test]
fn one_huge_image_in_eight_entries_is_refused_within_memory() {
    let dir = tempfile::tempdir().unwrap();
    let png = png_of_zeros(12_000, 3_333);
    assert!(png.len() < 4_000_000, "{}", png.len());
    std::fs::write(dir.path().join("big.png"), &png).unwrap();
    std::fs::write(dir.path().join("n.toml"), NOTE).unwrap();
    let mut design = std::fs::read_to_string(root().join("layouts/classic-a2.toml")).unwrap();
    for i in 0..8 {
        design.push_str(&format!(
            "\n[[image]]\nfile = \"big.png\"\nat = [\"{}in\", \"0.05in\"]\nheight = \"0.1in\"\n",
            0.1 + 0.4 * i as f32
        ));
    }
    std::fs::write(dir.path().join("d.toml"), design).unwrap();
    let before = snapshot(dir.path());
    let time = Path::new("/usr/bin/time");
    let measure = time.exists();
    if !measure {
        assert!(
            std::env::var("STATIONER_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "/usr/bin/time is required (STATIONER_REQUIRE_TOOLS=1)"
        );
        eprintln!("SKIPPED: peak memory not measured: /usr/bin/time is not installed");
    }
    let script = format!(
        "ulimit -v 1500000; exec {} \"$0\" render n.toml --layout ./d.toml -o out.pdf",
        if measure {
            "/usr/bin/time -f 'peak %M KB'"
        } else {
            ""
        }
    );
    let start = std::time::Instant::now();
    let o = std::process::Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_stationer")])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let took = start.elapsed();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("d.toml:") && err.contains("megapixels"),
        "{err}"
    );
    assert!(err.contains("limit for a design"), "{err}");
    assert_eq!(before, snapshot(dir.path()), "files changed");
    assert!(took.as_secs_f32() < 10.0, "{took:?}");
    if measure {
        let kb: u64 = err
            .lines()
            .find_map(|l| l.strip_prefix("peak ")?.strip_suffix(" KB")?.parse().ok())
            .expect("peak memory line");
        eprintln!("peak memory {kb} KB in {took:?}");
        assert!(kb < 600 * 1024, "peak {kb} KB");
    }
}
