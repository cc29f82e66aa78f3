//! Every name prints right: names in many scripts on every bundled design
//! and on envelopes (bundled fallback faces), both directions, Unicode line
//! breaking (no-break spaces, zero-width spaces, soft hyphens, URLs), CJK
//! through a font folder, and smart punctuation.

mod common;

use common::{bbox_words, have_tool, run_tool, stationer, stderr, stdout};
use proptest::prelude::*;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

const NAMES: [&str; 7] = [
    "Nguyễn Văn Đức",
    "Hoàng Thị Lựu",
    "Γεώργιος Νικολάου",
    "Ольга Иванова",
    "Zsófia Szőke",
    "דוד לוי",
    "محمد علي",
];

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Extracted text made comparable: bidi marks pdftotext adds taken out,
/// white space collapsed, NFC.
fn plain(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    kept.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

/// Envelopes for a recipient list (CSV text) in `dir`, with the bundled
/// fonts only: the PDF's path and its text as `plain` gives it.
fn envelopes_of(dir: &Path, csv: &str) -> (std::path::PathBuf, String) {
    write(dir, "r.csv", csv);
    let o = stationer(
        dir,
        &[
            "envelopes",
            "--data",
            "r.csv",
            "-o",
            "env.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.join("env.pdf");
    let text = plain(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    (path, text)
}

fn layouts(dir: &Path) -> Vec<String> {
    let o = stationer(dir, &["layouts"]);
    assert!(o.status.success());
    stdout(&o)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Every face is embedded, subset, with a ToUnicode map; returns the names.
fn check_fonts(pdf: &Path) -> Vec<String> {
    let out = run_tool("pdffonts", &[pdf.to_str().unwrap()]);
    let mut names = Vec::new();
    for line in out.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 6, "{line}");
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "emb sub uni: {line}"
        );
        assert!(cols[0].contains('+'), "subset tag: {line}");
        names.push(cols[0].to_string());
    }
    names
}

#[test]
fn names_in_many_scripts_print_on_every_design() {
    if !have_tool("pdftotext") || !have_tool("pdffonts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let note = format!(
        "greeting = \"Dear {},\"\nbody = \"\"\"\nThank you, {}, {}, {} and {}, and to {} and {} for the tour.\n\"\"\"\nclosing = \"With gratitude,\"\nsigner = \"{}\"\n",
        NAMES[0], NAMES[1], NAMES[2], NAMES[3], NAMES[4], NAMES[5], NAMES[6], "Phạm Trương Bảo"
    );
    write(dir.path(), "note.toml", &note);
    for layout in layouts(dir.path()) {
        let pdf = format!("{layout}.pdf");
        let o = stationer(
            dir.path(),
            &[
                "render",
                "note.toml",
                "--layout",
                &layout,
                "-o",
                &pdf,
                "--ignore-system-fonts",
            ],
        );
        assert!(o.status.success(), "{layout}: {}", stderr(&o));
        let path = dir.path().join(&pdf);
        let text = plain(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
        for name in NAMES.iter().chain(&["Phạm Trương Bảo"]) {
            let want: String = name.nfc().collect();
            assert!(text.contains(&want), "{layout}: {name} not in {text:?}");
        }
        let fonts = check_fonts(&path);
        assert!(
            fonts.len() >= 2,
            "{layout}: a fallback face is used: {fonts:?}"
        );
        assert!(
            fonts.iter().any(|f| f.contains("Arabic")),
            "{layout}: {fonts:?}"
        );
    }
}

#[test]
fn names_in_many_scripts_print_on_envelopes() {
    if !have_tool("pdftotext") || !have_tool("pdffonts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("name,address1,city,region,postcode,country\n");
    for n in NAMES {
        csv.push_str(&format!("{n},1 Main Street,Springfield,IL,62701,USA\n"));
    }
    let (path, text) = envelopes_of(dir.path(), &csv);
    for name in NAMES {
        let want: String = name.nfc().collect();
        assert!(text.contains(&want), "{name} not in {text:?}");
    }
    check_fonts(&path);
    // Right to left on the envelope too: the first word of the Hebrew name
    // sits right of the second.
    let words: Vec<_> = bbox_words(&path).into_iter().flatten().collect();
    let x = |w: &str| {
        let r: String = w.chars().rev().collect();
        words
            .iter()
            .find(|b| b.text == r || b.text == w)
            .map(|b| b.bbox[0])
            .unwrap()
    };
    assert!(x("דוד") > x("לוי"));
}

#[test]
fn names_that_mix_scripts_print_on_envelopes_and_in_lettering() {
    if !have_tool("pdftotext") || !have_tool("pdffonts") {
        return;
    }
    // A line of an envelope or a design's lettering takes each word from a
    // face that has it: an Arabic or Hebrew name beside Latin words is set,
    // not refused, and a Cyrillic street sits at the size of its neighbours.
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = envelopes_of(
        dir.path(),
        "name,address1,city,region,postcode,country\n\
         Dr. محمد علي,1 Main St,Springfield,IL,62701,USA\n\
         Ms. Ольга Иванова,ул. Тверская 1,Moskva,,125009,Russia\n",
    );
    for want in ["Dr. محمد علي", "Ms. Ольга Иванова", "ул. Тверская 1"]
    {
        assert!(text.contains(want), "{want} not in {text:?}");
    }
    check_fonts(&path);
    // Lettering: the printed name in the letterhead.
    write(
        dir.path(),
        "n.toml",
        "body = \"Thank you for the visit.\"\nsigner = \"דוד לוי Jr.\"\n",
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "n.toml",
            "--layout",
            "letterhead-a7",
            "-o",
            "l.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.path().join("l.pdf");
    let text = plain(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    // In the letterhead (tracked capitals) and as the printed name.
    assert_eq!(text.matches("דוד לוי").count(), 2, "{text}");
    check_fonts(&path);
}

#[test]
fn right_to_left_names_read_right_to_left_and_copy_in_logical_order() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        "body = \"Thanks to דוד לוי and محمد علي for the visit.\"\nsigner = \"Alex Morgan\"\n",
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.path().join("c.pdf");
    let text = plain(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    assert!(text.contains("דוד לוי"), "{text}");
    assert!(text.contains("محمد علي"), "{text}");
    // pdftotext -bbox lists each word's letters as placed, left to right:
    // reversed they are the word as written, and the name's first word is
    // to the right of its second.
    let words: Vec<_> = bbox_words(&path).into_iter().flatten().collect();
    let find = |logical: &str| {
        let visual: String = logical.chars().rev().collect();
        words
            .iter()
            .find(|w| w.text == visual)
            .unwrap_or_else(|| panic!("{logical} not placed right to left: {words:?}"))
            .bbox
    };
    assert!(find("דוד")[0] > find("לוי")[0]);
    assert!(find("לוי")[0] > words.iter().find(|w| w.text == "to").unwrap().bbox[0]);
    // Arabic is shaped with joining forms: its word extracts whole.
    let arabic: Vec<_> = words
        .iter()
        .filter(|w| w.text.chars().any(|c| ('\u{600}'..='\u{6FF}').contains(&c)))
        .collect();
    assert_eq!(arabic.len(), 2, "{arabic:?}");
    assert!(arabic[0].bbox[0] < arabic[1].bbox[0]);
}

#[test]
fn punctuation_after_a_right_to_left_name_stays_on_its_right() {
    if !have_tool("pdftotext") {
        return;
    }
    // In an English sentence, the full stop and commas after a Hebrew or
    // Arabic name belong to the sentence: the bidirectional algorithm puts
    // them at its level, on the name's right, as browsers show it.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        "body = \"Thanks to דוד לוי. I met דוד לוי, and محمد علي, too.\"\nsigner = \"A\"\n",
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.path().join("c.pdf");
    let text = plain(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    assert!(
        text.contains("Thanks to דוד לוי. I met דוד לוי, and محمد علي, too."),
        "{text}"
    );
    // As placed, left to right: the name's second word, its first, then
    // the stop (or comma), then the next English word.
    let words: Vec<String> = bbox_words(&path)
        .into_iter()
        .flatten()
        .map(|w| w.text)
        .collect();
    let at = |w: &str| {
        words
            .iter()
            .position(|x| x == w)
            .unwrap_or_else(|| panic!("{w}: {words:?}"))
    };
    assert_eq!(
        words[at("to") + 1..at("to") + 5],
        ["יול", "דוד", ".", "I"],
        "{words:?}"
    );
    assert_eq!(
        words[at("met") + 1..at("met") + 5],
        ["יול", "דוד", ",", "and"],
        "{words:?}"
    );
    // The Arabic name's comma ends its (left-to-right listed) box.
    let arabic = &words[at("and") + 1..at("too.")];
    assert_eq!(arabic.len(), 2, "{arabic:?}");
    assert!(arabic[1].ends_with(','), "{arabic:?}");
    assert!(!arabic.iter().any(|w| w.starts_with(',')), "{arabic:?}");
}

#[test]
fn an_all_hebrew_note_is_a_right_to_left_paragraph() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let body = "תודה רבה על הפגישה ביום שלישי. נהניתי מאוד לשמוע על הצוות ועל התוכניות לשנה הבאה, ואשמח מאוד להצטרף אליכם בקרוב ולעבוד יחד.";
    write(
        dir.path(),
        "note.toml",
        &format!("greeting = \"שלום רב, דוד לוי\"\nbody = \"{body}\"\nclosing = \"בתודה,\"\nsigner = \"מיכל כהן\"\n"),
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
            "--report",
            "r.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.path().join("c.pdf");
    let text = plain(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    // pdftotext sets the full stops and commas (neutral characters) of a
    // right-to-left line on either side of the space next to them; the
    // words themselves come back in order.
    let letters = |s: &str| {
        plain(
            &s.chars()
                .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                .collect::<String>(),
        )
    };
    assert!(letters(&text).contains(&letters(body)), "{text}");
    // Ragged on the left: body lines end at the same right edge and start
    // at different left ones.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let lines = report["cards"][0]["lines"].as_array().unwrap();
    let body_lines: Vec<[f64; 4]> = lines
        .iter()
        .filter(|l| {
            l["text"].as_str().unwrap().contains("תודה")
                || l["text"].as_str().unwrap().contains("ואשמח")
                || l["text"].as_str().unwrap().contains("הצוות")
        })
        .map(|l| {
            let b = l["box"].as_array().unwrap();
            [0, 1, 2, 3].map(|i| b[i].as_f64().unwrap())
        })
        .collect();
    assert!(body_lines.len() >= 2, "{lines:?}");
    let right = body_lines[0][2];
    assert!(
        body_lines.iter().all(|b| (b[2] - right).abs() < 0.05),
        "{body_lines:?}"
    );
    assert!(
        body_lines
            .iter()
            .any(|b| (b[0] - body_lines[0][0]).abs() > 1.0),
        "{body_lines:?}"
    );
}

#[test]
fn chinese_and_japanese_names_through_a_font_folder() {
    let noto = Path::new("/usr/share/fonts/opentype/noto");
    if !have_tool("pdftotext") {
        return;
    }
    if !noto.join("NotoSerifCJK-Regular.ttc").exists()
        && !noto.join("NotoSansCJK-Regular.ttc").exists()
    {
        if std::env::var("STATIONER_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("fonts-noto-cjk is required (STATIONER_REQUIRE_TOOLS=1) but not installed");
        }
        eprintln!("SKIPPED: install fonts-noto-cjk to check CJK names");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        "body = \"Thank you, 王小明 and 山田太郎, for the visit.\"\nsigner = \"Alex Morgan\"\n",
    );
    // Without the folder (and without system fonts) the character is named.
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("note.toml:1") && err.contains("U+738B") && err.contains("font"),
        "{err}"
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
            "--font-path",
            noto.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.path().join("c.pdf");
    let text = plain(&run_tool("pdftotext", &[path.to_str().unwrap(), "-"]));
    assert!(
        text.contains("王小明") && text.contains("山田太郎"),
        "{text}"
    );
    let fonts = check_fonts(&path);
    assert!(fonts.iter().any(|f| f.contains("CJK")), "{fonts:?}");
    // Beside a serif design, the serif CJK face, when the folder has both.
    if noto.join("NotoSerifCJK-Regular.ttc").exists()
        && noto.join("NotoSansCJK-Regular.ttc").exists()
    {
        assert!(
            fonts
                .iter()
                .any(|f| f.contains("SerifCJK") || f.contains("Serif CJK"))
                && !fonts
                    .iter()
                    .any(|f| f.contains("SansCJK") || f.contains("Sans CJK")),
            "{fonts:?}"
        );
    }
}

#[test]
fn a_character_no_font_has_is_named_with_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        "body = \"\"\"\nHello,\nthere \u{10600}x.\n\"\"\"\nsigner = \"A\"\n",
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("note.toml:3"), "{err}");
    assert!(
        err.contains("U+10600") && err.contains("\u{10600}x."),
        "{err}"
    );
    assert!(
        err.contains("hint:") && err.contains("STATIONER_FONT_PATH"),
        "{err}"
    );
}

#[test]
fn zero_width_spaces_and_soft_hyphens_leave_extracted_text_intact() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        "body = \"Our extra\u{200B}ordinary talk about the in\u{AD}ter\u{AD}na\u{AD}tion\u{AD}al\u{AD}iza\u{AD}tion plan was a joy.\"\nsigner = \"A\"\n",
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let raw = run_tool(
        "pdftotext",
        &[dir.path().join("c.pdf").to_str().unwrap(), "-"],
    );
    assert!(
        !raw.contains('\u{200B}') && !raw.contains('\u{AD}'),
        "{raw:?}"
    );
    // Lines joined again (a soft hyphen printed at a line end is the
    // hyphen pdftotext shows there).
    let joined = plain(&raw.replace("-\n", ""));
    assert!(
        joined.contains("Our extraordinary talk about the internationalization plan"),
        "{joined}"
    );
}

#[test]
fn a_long_url_breaks_inside_the_measure() {
    let dir = tempfile::tempdir().unwrap();
    let url = "https://careers.example.com/interviews/2025/thank-you/notes.html";
    assert!(url.len() >= 60);
    write(
        dir.path(),
        "note.toml",
        &format!("body = \"The notes are at {url} for you.\"\nsigner = \"A\"\n"),
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "--layout",
            "correspondence",
            "-o",
            "c.pdf",
            "--report",
            "r.json",
            "--ignore-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let card = &report["cards"][0];
    let right = card["body_box"][2].as_f64().unwrap();
    let lines = card["lines"].as_array().unwrap();
    for l in lines {
        assert!(
            l["box"][2].as_f64().unwrap() <= right + 0.05,
            "{l} past {right}"
        );
    }
    let texts: Vec<&str> = lines.iter().map(|l| l["text"].as_str().unwrap()).collect();
    let split = texts
        .iter()
        .any(|t| t.ends_with('/') || t.ends_with('.') || t.ends_with("com/"));
    assert!(split, "{texts:?}");
    // No hyphen is added inside the URL, and all of it is there.
    let all: String = texts.concat();
    assert!(
        all.replace(' ', "").contains(&url.replace(' ', "")),
        "{all}"
    );
}

#[test]
fn punctuation_is_made_typographic_unless_turned_off() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let body = "Our \\\"deep dive\\\" -- and O'Brien's demo --- didn't disappoint...";
    write(
        dir.path(),
        "a.toml",
        &format!("body = \"{body}\"\nsigner = \"A\"\n"),
    );
    write(
        dir.path(),
        "b.toml",
        &format!("body = \"{body}\"\nsigner = \"A\"\nsmart_punctuation = false\n"),
    );
    write(
        dir.path(),
        "c.toml",
        "lang = \"de\"\nbody = \"Sie sagten \\\"danke\\\".\"\nsigner = \"A\"\n",
    );
    for n in ["a", "b", "c"] {
        let o = stationer(
            dir.path(),
            &["render", &format!("{n}.toml"), "-o", &format!("{n}.pdf")],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let text = |n: &str| {
        plain(&run_tool(
            "pdftotext",
            &[dir.path().join(format!("{n}.pdf")).to_str().unwrap(), "-"],
        ))
    };
    assert!(
        text("a").contains("Our “deep dive” – and O’Brien’s demo — didn’t disappoint…"),
        "{}",
        text("a")
    );
    assert!(
        text("b").contains("Our \"deep dive\" -- and O'Brien's demo --- didn't disappoint..."),
        "{}",
        text("b")
    );
    assert!(text("c").contains("Sie sagten „danke“."), "{}", text("c"));
}

#[test]
fn merged_values_get_smart_punctuation_and_placeholders_are_kept() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        "greeting = \"Dear {name},\"\nbody = \"Thanks for the \\\"{topic}\\\" talk.\"\nsigner = \"A\"\n",
    );
    write(
        dir.path(),
        "r.csv",
        "name,topic\nMs. O'Brien,it's done -- really\n",
    );
    let o = stationer(
        dir.path(),
        &["batch", "note.toml", "--data", "r.csv", "-o", "cards.pdf"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = plain(&run_tool(
        "pdftotext",
        &[dir.path().join("cards.pdf").to_str().unwrap(), "-"],
    ));
    assert!(text.contains("Dear Ms. O’Brien,"), "{text}");
    assert!(
        text.contains("Thanks for the “it’s done – really” talk."),
        "{text}"
    );
}

/// Short words (no hyphenation inside) joined by spaces or no-break spaces.
fn note_words() -> impl Strategy<Value = Vec<(String, bool)>> {
    prop::collection::vec(("[a-z]{1,5}", any::<bool>()), 20..70)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn no_line_ends_at_a_no_break_space(words in note_words()) {
        let mut body = String::new();
        for (i, (w, nbsp)) in words.iter().enumerate() {
            if i > 0 {
                body.push(if *nbsp { '\u{A0}' } else { ' ' });
            }
            body.push_str(w);
        }
        let src = format!("body = \"{body}\"\nsigner = \"A\"\n");
        let note = stationer::input::note::parse_note(Path::new("n.toml"), &src).unwrap();
        let design = stationer::design_for(&note, Some("classic-a2")).unwrap();
        let Ok(card) = stationer::layout_card(&note, &design) else { return Ok(()) };
        let tokens: Vec<&str> = body.split(' ').collect();
        for line in card.fitted.lines.iter().filter(|l| l.role == stationer::scene::Role::Body) {
            let text: String = line
                .parts
                .iter()
                .map(|p| {
                    let s = &p.word.text;
                    let a = p.word.glyphs[p.glyphs.start].cluster as usize;
                    let b = p.word.glyphs.get(p.glyphs.end).map_or(s.len(), |g| g.cluster as usize);
                    format!("{}{}", if p.space_before { " " } else { "" }, &s[a..b])
                })
                .collect();
            prop_assert!(!text.starts_with('\u{A0}') && !text.ends_with('\u{A0}'), "{text:?}");
            for t in text.split(' ') {
                prop_assert!(tokens.contains(&t), "{t:?} is part of a word joined by a no-break space");
            }
        }
    }
}

#[test]
fn no_break_spaces_print_and_copy_as_spaces() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.toml",
        "body = \"Dear Ms.\u{A0}Núñez, we met at 10\u{202F}am; a\u{2060}b.\"\nsigner = \"A\"\n",
    );
    let o = stationer(
        dir.path(),
        &[
            "render",
            "note.toml",
            "-o",
            "c.pdf",
            "--ignore-system-fonts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.path().join("c.pdf");
    let raw = run_tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    // A no-break space copies as a space (or itself); a word joiner as nothing.
    let spaced = raw.replace(['\u{A0}', '\u{202F}'], " ");
    assert!(
        spaced.contains("Dear Ms. Núñez, we met at 10 am; ab."),
        "{raw:?}"
    );
    // It is as wide as a word space.
    let words: Vec<_> = bbox_words(&path).into_iter().flatten().collect();
    let at = |t: &str| {
        words
            .iter()
            .position(|w| w.text == t)
            .unwrap_or_else(|| panic!("{t}: {words:?}"))
    };
    let (dear, ms, name) = (at("Dear"), at("Ms."), at("Núñez,"));
    let gap = |a: usize, b: usize| words[b].bbox[0] - words[a].bbox[2];
    assert!((gap(ms, name) - gap(dear, ms)).abs() < 0.3, "{words:?}");
}
