//! The library's face: the functions a program calls give the same cards
//! as the command line, and report problems as typed diagnostics.

use stationer::batch::BatchOptions;
use stationer::envelope::{parse_size, EnvelopeOptions, DEFAULT_CITY_LINE};
use stationer::{
    batch, calibration_sheet, check, envelopes, load_note, parse_note, render_pdf, render_png,
    CardOptions, PngOptions, Severity,
};
use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stationer"))
}

fn cli_output(args: &[&str], out: &Path) -> Vec<u8> {
    let status = bin().args(args).arg("-o").arg(out).status().unwrap();
    assert!(status.success(), "{args:?}");
    std::fs::read(out).unwrap()
}

#[test]
fn render_pdf_and_png_are_the_cards_the_command_line_writes() {
    let dir = tempfile::tempdir().unwrap();
    let note = load_note(Path::new("samples/note.toml")).unwrap();
    for layout in ["classic-a2", "portrait-a6", "monogram-a2"] {
        let options = CardOptions {
            layout: Some(layout.into()),
        };
        let pdf = render_pdf(&note, &options).unwrap();
        assert!(pdf.warnings.is_empty());
        let cli = cli_output(
            &["render", "samples/note.toml", "--layout", layout],
            &dir.path().join("c.pdf"),
        );
        assert_eq!(pdf.value, cli, "{layout}: library and CLI PDFs differ");
        let png = render_png(&note, &options, &PngOptions::default()).unwrap();
        assert_eq!(png.warnings, pdf.warnings);
        let png = png.value;
        let cli = cli_output(
            &["preview", "samples/note.toml", "--layout", layout],
            &dir.path().join("c.png"),
        );
        let decode = |b: &[u8]| image::load_from_memory(b).unwrap().to_rgb8();
        assert_eq!(decode(&png), decode(&cli), "{layout}: previews differ");
    }
}

#[test]
fn check_reports_the_fit_and_refusals_are_diagnostics() {
    let note = load_note(Path::new("samples/note.toml")).unwrap();
    let fitted = check(&note, &CardOptions::default()).unwrap();
    assert!(fitted.size >= 9.0 && fitted.body_lines > 0 && fitted.fullness <= 1.0);

    let long = format!(
        "body = \"\"\"\n{}\"\"\"\nsigner = \"A. Writer\"\n",
        "Thank you for a wonderful conversation about the role. ".repeat(60)
    );
    let note = parse_note(Path::new("long.toml"), &long).unwrap();
    let err = check(&note, &CardOptions::default()).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("does not fit"), "{d:?}");
    assert!(
        d.place.as_ref().is_some_and(|p| p.file == "long.toml"),
        "{d:?}"
    );

    let bad = CardOptions {
        layout: Some("clasic-a2".into()),
    };
    let note = load_note(Path::new("samples/note.toml")).unwrap();
    assert!(render_pdf(&note, &bad).is_err());
}

#[test]
fn batch_and_envelopes_through_the_library() {
    let note = load_note(Path::new("samples/template.toml")).unwrap();
    let out = batch(
        &note,
        Path::new("samples/recipients.csv"),
        &CardOptions::default(),
        &BatchOptions::default(),
    )
    .unwrap();
    let rows = std::fs::read_to_string("samples/recipients.csv")
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(out.cards.len(), rows);
    assert!(out.pdf.as_ref().is_some_and(|p| p.starts_with(b"%PDF-")));

    let options = EnvelopeOptions {
        size: parse_size("us-a2").unwrap(),
        columns: vec![("name".into(), "full_name".into())],
        city_line: DEFAULT_CITY_LINE.into(),
        by_country: true,
        copies_column: None,
        rows: None,
        return_address: None,
        color: stationer::input::design::Rgb::INK,
        card: None,
    };
    let scene = envelopes(
        Path::new("samples/addresses.csv"),
        &CardOptions::default(),
        &options,
    )
    .unwrap();
    assert!(!scene.value.pages.is_empty());
    assert!((scene.value.pages[0].width - 414.0).abs() < 0.01);
    // A square envelope is made, with a warning handed back, not printed.
    let square = EnvelopeOptions {
        size: parse_size("6x6in").unwrap(),
        ..options
    };
    let scene = envelopes(
        Path::new("samples/addresses.csv"),
        &CardOptions::default(),
        &square,
    )
    .unwrap();
    assert!(!scene.warnings.is_empty());
    assert!(scene
        .warnings
        .iter()
        .all(|w| w.severity == Severity::Warning));
}

#[test]
fn the_calibration_sheet_is_the_one_the_command_line_writes() {
    let dir = tempfile::tempdir().unwrap();
    let scene = calibration_sheet("letter", "sheet.pdf", None).unwrap();
    assert_eq!(scene.pages.len(), 2);
    assert_eq!(
        (scene.pages[0].width, scene.pages[0].height),
        (612.0, 792.0)
    );
    let cli = cli_output(
        &["calibrate", "--sheet", "letter"],
        &dir.path().join("sheet.pdf"),
    );
    assert_eq!(stationer::export::write_pdf(&scene), cli);
    let e = calibration_sheet("tabloid", "sheet.pdf", None).unwrap_err();
    assert!(e.diagnostics()[0].message.contains("tabloid"), "{e}");
    // About the sheet option (the command line's --sheet), not a layout.
    assert_eq!(e.diagnostics()[0].option, Some("sheet"), "{e}");
}
