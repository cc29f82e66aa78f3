//! `--pdf-standard`: PDF/A-1b files that Apache PDFBox Preflight passes,
//! PDF/X-4 keys read back with qpdf's JSON, every reader still opening every
//! file without a warning, and the same bytes from the same input.
//!
//! PDFBox Preflight is Debian's `libpdfbox2-java` (with `libactivation-java`
//! and `libjaxb-api-java`); the checks that need it, qpdf or poppler skip
//! with a message locally and are mandatory with STATIONER_REQUIRE_TOOLS=1.

mod common;

use common::{have_tool, root, run_tool, stationer, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const JARS: [&str; 7] = [
    "preflight.jar",
    "pdfbox2.jar",
    "fontbox2.jar",
    "xmpbox.jar",
    "commons-logging.jar",
    "javax.activation.jar",
    "jaxb-api.jar",
];

/// Whether Java and PDFBox Preflight's jars are installed (the same rule as
/// `have_tool`: skipped with a message, or a failure in CI).
fn have_preflight() -> bool {
    if !have_tool("java") {
        return false;
    }
    let missing: Vec<&str> = JARS
        .iter()
        .copied()
        .filter(|j| !Path::new("/usr/share/java").join(j).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("STATIONER_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("PDFBox Preflight is required (STATIONER_REQUIRE_TOOLS=1) but {missing:?} are missing from /usr/share/java");
    }
    eprintln!(
        "SKIPPED: PDFBox Preflight is not installed ({missing:?} missing); \
         install libpdfbox2-java libactivation-java libjaxb-api-java to run this check"
    );
    false
}

/// PDFBox Preflight's verdict on a file: `Ok` when it is valid PDF/A-1b,
/// otherwise its list of errors.
fn preflight(pdf: &Path) -> Result<(), String> {
    let cp: Vec<String> = JARS
        .iter()
        .map(|j| format!("/usr/share/java/{j}"))
        .collect();
    let o = Command::new("java")
        .args(["-cp", &cp.join(":")])
        .arg("org.apache.pdfbox.preflight.Validator_A1b")
        .arg(pdf)
        .output()
        .expect("run java");
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    if o.status.success() && out.contains("is a valid PDF/A-1b file") {
        Ok(())
    } else {
        Err(out)
    }
}

/// Runs stationer in `dir` and panics with its stderr on failure.
fn ok(dir: &Path, args: &[&str]) {
    let o = stationer(dir, args);
    assert!(o.status.success(), "stationer {args:?}: {}", stderr(&o));
}

/// Every kind of PDF Stationer writes, with extra arguments (a standard):
/// each bundled design, the logo card, a batch, an imposed sheet with crop
/// marks, envelopes and the calibration sheet. Returns (label, path).
fn every_kind(dir: &Path, tag: &str, extra: &[&str]) -> Vec<(String, PathBuf)> {
    let r = root();
    let s = |p: &str| r.join(p).to_string_lossy().into_owned();
    let note = s("samples/note.toml");
    let template = s("samples/template.toml");
    let recipients = s("samples/recipients.csv");
    let mut jobs: Vec<(String, Vec<String>)> = Vec::new();
    let mut designs: Vec<String> = std::fs::read_dir(r.join("layouts"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            Some(name.strip_suffix(".toml")?.to_string())
        })
        .collect();
    designs.sort();
    assert!(designs.len() >= 8, "{designs:?}");
    for d in &designs {
        jobs.push((
            d.clone(),
            vec!["render".into(), note.clone(), "--layout".into(), d.clone()],
        ));
    }
    jobs.push((
        "logo-card".into(),
        vec![
            "render".into(),
            note.clone(),
            "--layout".into(),
            s("samples/logo-card.toml"),
        ],
    ));
    jobs.push((
        "batch".into(),
        vec![
            "batch".into(),
            template.clone(),
            "--data".into(),
            recipients.clone(),
        ],
    ));
    jobs.push((
        "sheet".into(),
        vec![
            "batch".into(),
            template,
            "--data".into(),
            recipients,
            "--sheet".into(),
            "letter".into(),
            "--crop-marks".into(),
            "--layout".into(),
            "studio-a7".into(),
        ],
    ));
    jobs.push((
        "envelopes".into(),
        vec![
            "envelopes".into(),
            "--data".into(),
            s("samples/addresses.csv"),
            "--return-address".into(),
            s("samples/return.toml"),
        ],
    ));
    jobs.push(("calibration".into(), vec!["calibrate".into()]));
    jobs.into_iter()
        .map(|(label, mut args)| {
            let out = dir.join(format!("{label}-{tag}.pdf"));
            args.push("-o".into());
            args.push(out.to_string_lossy().into_owned());
            args.extend(extra.iter().map(|e| e.to_string()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            ok(dir, &args);
            (label, out)
        })
        .collect()
}

#[test]
fn preflight_passes_every_pdfa1b_file() {
    if !have_preflight() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (label, pdf) in every_kind(dir.path(), "a1b", &["--pdf-standard", "a-1b"]) {
        if let Err(why) = preflight(&pdf) {
            failures.push(format!("{label}:\n{why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn preflight_rejects_the_default_output() {
    // The check can fail: a default PDF (an xref stream, no output intent)
    // is not PDF/A-1b, and Preflight says so.
    if !have_preflight() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("card.pdf");
    let note = root().join("samples/note.toml");
    ok(
        dir.path(),
        &[
            "render",
            note.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(preflight(&out).is_err());
}

/// qpdf's JSON (version 2) of a file: its objects by "obj:N 0 R", and the trailer.
fn qpdf_json(pdf: &Path) -> serde_json::Map<String, Value> {
    let text = run_tool(
        "qpdf",
        &["--json=2", "--json-key=qpdf", pdf.to_str().unwrap()],
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    v["qpdf"][1].as_object().unwrap().clone()
}

/// An object's dictionary (a stream's dictionary for a stream).
fn dict<'a>(objects: &'a serde_json::Map<String, Value>, reference: &Value) -> &'a Value {
    let o = &objects[&format!("obj:{}", reference.as_str().unwrap())];
    if o.get("stream").is_some() {
        &o["stream"]["dict"]
    } else {
        &o["value"]
    }
}

fn rect(v: &Value) -> [f64; 4] {
    let n: Vec<f64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    [n[0], n[1], n[2], n[3]]
}

fn within(inner: [f64; 4], outer: [f64; 4]) -> bool {
    inner[0] >= outer[0] - 1e-3
        && inner[1] >= outer[1] - 1e-3
        && inner[2] <= outer[2] + 1e-3
        && inner[3] <= outer[3] + 1e-3
}

#[test]
fn pdfx4_keys_read_back_with_qpdf_json() {
    if !have_tool("qpdf") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (label, pdf) in every_kind(dir.path(), "x4", &["--pdf-standard", "x-4"]) {
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(
            bytes.starts_with(b"%PDF-1.6"),
            "{label}: PDF/X-4 is PDF 1.6"
        );
        let objects = qpdf_json(&pdf);
        let trailer = &objects["trailer"]["value"];
        let info = dict(&objects, &trailer["/Info"]);
        assert_eq!(info["/GTS_PDFXVersion"], "u:PDF/X-4", "{label}: {info}");
        assert_eq!(info["/Trapped"], "/False", "{label}");
        assert!(info["/CreationDate"].is_string() && info["/ModDate"].is_string());
        assert!(info["/Title"].is_string(), "{label}");
        let catalog = dict(&objects, &trailer["/Root"]);
        let intents = catalog["/OutputIntents"].as_array().unwrap();
        assert_eq!(intents.len(), 1, "{label}");
        assert_eq!(intents[0]["/S"], "/GTS_PDFX", "{label}");
        assert_eq!(intents[0]["/OutputConditionIdentifier"], "u:FOGRA39");
        let profile = dict(&objects, &intents[0]["/DestOutputProfile"]);
        assert_eq!(profile["/N"], 4, "{label}: a CMYK profile");
        // The XMP says PDF/X-4 too.
        let meta = catalog["/Metadata"].as_str().unwrap();
        let xmp = run_tool(
            "qpdf",
            &[
                &format!("--show-object={}", meta.split(' ').next().unwrap()),
                "--raw-stream-data",
                pdf.to_str().unwrap(),
            ],
        );
        assert!(
            xmp.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"),
            "{label}: {xmp}"
        );
        assert!(xmp.contains("<pdf:Trapped>False</pdf:Trapped>"), "{label}");
        // Every page: TrimBox inside BleedBox inside MediaBox.
        let pages: Vec<&Value> = objects
            .iter()
            .filter(|(k, _)| k.starts_with("obj:"))
            .map(|(_, v)| &v["value"])
            .filter(|v| v["/Type"] == "/Page")
            .collect();
        assert!(!pages.is_empty(), "{label}");
        for p in pages {
            // The media box is the page's own or, inherited, its tree's.
            let media = match &p["/MediaBox"] {
                Value::Null => &dict(&objects, &p["/Parent"])["/MediaBox"],
                own => own,
            };
            let (media, bleed, trim) = (rect(media), rect(&p["/BleedBox"]), rect(&p["/TrimBox"]));
            assert!(within(trim, bleed) && within(bleed, media), "{label}: {p}");
        }
    }
}

/// Warnings and errors that the usual readers print about a file.
fn reader_complaints(pdf: &Path) -> Vec<String> {
    let f = pdf.to_str().unwrap();
    let mut found = Vec::new();
    let q = Command::new("qpdf").args(["--check", f]).output().unwrap();
    let qout =
        String::from_utf8_lossy(&q.stdout).into_owned() + &String::from_utf8_lossy(&q.stderr);
    if !q.status.success() || qout.to_lowercase().contains("warning") {
        found.push(format!("qpdf --check: {qout}"));
    }
    for (tool, args) in [
        ("pdfinfo", vec!["-box", "-f", "1", "-l", "999", f]),
        ("pdffonts", vec![f]),
        ("pdftotext", vec![f, "-"]),
    ] {
        let o = Command::new(tool).args(&args).output().unwrap();
        if !o.status.success() || !o.stderr.is_empty() {
            found.push(format!("{tool}: {}", String::from_utf8_lossy(&o.stderr)));
        }
    }
    let fonts = run_tool("pdffonts", &[f]);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        // name, type…, encoding, emb, sub, uni, object id (two columns).
        if n < 7 || cols[n - 5..n - 2] != ["yes", "yes", "yes"] {
            found.push(format!("pdffonts: not embedded, subset and mapped: {line}"));
        }
        if line.contains("LinLibertine") && !line.contains("CID Type 0C") {
            found.push(format!("pdffonts: Libertine is not bare CFF: {line}"));
        }
    }
    let g = Command::new("gs")
        .args([
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=nullpage",
            f,
        ])
        .output()
        .unwrap();
    let gout =
        String::from_utf8_lossy(&g.stdout).into_owned() + &String::from_utf8_lossy(&g.stderr);
    if gout.contains("Error") || gout.contains("****") {
        found.push(format!("gs: {gout}"));
    }
    found
}

#[test]
fn every_reader_opens_every_standard_without_a_warning() {
    if !(have_tool("qpdf") && have_tool("pdfinfo") && have_tool("pdftotext") && have_tool("gs")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut complaints = Vec::new();
    for (tag, extra) in [
        ("default", vec![]),
        ("a1b", vec!["--pdf-standard", "a-1b"]),
        ("a2b", vec!["--pdf-standard", "a-2b"]),
        ("x4", vec!["--pdf-standard", "x-4"]),
    ] {
        for (label, pdf) in every_kind(dir.path(), tag, &extra) {
            for c in reader_complaints(&pdf) {
                complaints.push(format!("{label} ({tag}): {c}"));
            }
        }
    }
    assert!(complaints.is_empty(), "{}", complaints.join("\n"));
}

#[test]
fn the_same_input_gives_the_same_bytes_for_every_standard() {
    let dir = tempfile::tempdir().unwrap();
    let note = root().join("samples/note.toml");
    let logo = root().join("samples/logo-card.toml");
    for standard in ["", "a-1b", "a-2b", "x-4"] {
        let mut runs = Vec::new();
        for n in 0..2 {
            let out = dir.path().join(format!("card-{standard}-{n}.pdf"));
            let mut args = vec![
                "render",
                note.to_str().unwrap(),
                "--layout",
                logo.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ];
            if !standard.is_empty() {
                args.extend(["--pdf-standard", standard]);
            }
            ok(dir.path(), &args);
            runs.push(std::fs::read(&out).unwrap());
        }
        assert!(runs[0] == runs[1], "{standard}: two runs differ");
    }
}

/// Streams of a file written out uncompressed by qpdf, as text with every
/// run of white space made one space.
fn uncompressed(pdf: &Path) -> String {
    let out = pdf.with_extension("qdf.pdf");
    let o = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&std::fs::read(out).unwrap()).into_owned();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn default_pdfs_have_xmp_author_black_text_and_registration_marks() {
    if !have_tool("qpdf") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let r = root();
    let out = dir.path().join("sheet.pdf");
    ok(
        dir.path(),
        &[
            "batch",
            r.join("samples/template.toml").to_str().unwrap(),
            "--data",
            r.join("samples/recipients.csv").to_str().unwrap(),
            "--sheet",
            "letter",
            "--crop-marks",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let text = uncompressed(&out);
    assert!(text.contains("/Type /Metadata"), "an XMP stream");
    assert!(text.contains("<dc:creator>"), "XMP names the author");
    assert!(
        text.contains("/Author (Alex Morgan)"),
        "the signer is the author"
    );
    assert!(text.contains("/CIDSet"), "subset fonts list their CIDs");
    assert!(
        text.contains("/Separation /All /DeviceCMYK"),
        "an /All separation"
    );
    assert!(text.contains("/All CS 1 SCN"), "crop marks drawn in /All");
    // The body's default ink is black ink alone, never a near-black RGB.
    assert!(text.contains(" 0 g "), "black text as DeviceGray");
    assert!(!text.contains("0.1 0.1 0.12 rg"), "no near-black RGB");
    // A single card without crop marks has no /All separation.
    let card = dir.path().join("card.pdf");
    ok(
        dir.path(),
        &[
            "render",
            r.join("samples/note.toml").to_str().unwrap(),
            "-o",
            card.to_str().unwrap(),
        ],
    );
    assert!(!uncompressed(&card).contains("/Separation"));
}

#[test]
fn pdfa1b_flattens_a_logo_on_white_and_refuses_one_over_a_panel() {
    let dir = tempfile::tempdir().unwrap();
    let r = root();
    let note = r.join("samples/note.toml");
    let note = note.to_str().unwrap();
    // The logo card: the soft mask becomes pixels flattened onto the card.
    let flat = dir.path().join("flat.pdf");
    let logo = r.join("samples/logo-card.toml");
    ok(
        dir.path(),
        &[
            "render",
            note,
            "--layout",
            logo.to_str().unwrap(),
            "-o",
            flat.to_str().unwrap(),
            "--pdf-standard",
            "a-1b",
        ],
    );
    let masked = dir.path().join("masked.pdf");
    ok(
        dir.path(),
        &[
            "render",
            note,
            "--layout",
            logo.to_str().unwrap(),
            "-o",
            masked.to_str().unwrap(),
            "--pdf-standard",
            "a-2b",
        ],
    );
    if have_tool("qpdf") {
        assert!(
            !uncompressed(&flat).contains("/SMask"),
            "PDF/A-1b has no soft mask"
        );
        assert!(
            uncompressed(&masked).contains("/SMask"),
            "PDF/A-2b keeps it"
        );
    }
    // The same logo over a tinted panel cannot be flattened onto white.
    std::fs::copy(r.join("samples/logo.png"), dir.path().join("logo.png")).unwrap();
    let design = std::fs::read_to_string(&logo).unwrap()
        + "\n[[panel]]\nbox = [\"0.5in\", \"0.3in\", \"1.2in\", \"0.8in\"]\nfill = \"#e0e8f0\"\n";
    let tinted = dir.path().join("tinted.toml");
    std::fs::write(&tinted, design).unwrap();
    let refused = dir.path().join("refused.pdf");
    let o = stationer(
        dir.path(),
        &[
            "render",
            note,
            "--layout",
            tinted.to_str().unwrap(),
            "-o",
            refused.to_str().unwrap(),
            "--pdf-standard",
            "a-1b",
        ],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("transparency") && err.contains("PDF/A-1b"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert!(!refused.exists(), "nothing is written");
    // PDF/A-2b allows it.
    ok(
        dir.path(),
        &[
            "render",
            note,
            "--layout",
            tinted.to_str().unwrap(),
            "-o",
            refused.to_str().unwrap(),
            "--pdf-standard",
            "a-2b",
        ],
    );
}

#[test]
fn source_date_epoch_sets_the_dates() {
    if !have_tool("pdfinfo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("card.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(["render"])
        .arg(root().join("samples/note.toml"))
        .arg("-o")
        .arg(&out)
        .args(["--pdf-standard", "a-1b"])
        .env("SOURCE_DATE_EPOCH", "1709210096")
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let info = run_tool("pdfinfo", &["-isodates", out.to_str().unwrap()]);
    assert!(info.contains("2024-02-29T12:34:56"), "{info}");
    let bad = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(["render"])
        .arg(root().join("samples/note.toml"))
        .arg("-o")
        .arg(dir.path().join("bad.pdf"))
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("SOURCE_DATE_EPOCH"),
        "{}",
        stderr(&bad)
    );
}

/// pdf.js at verbosity 5 (INFOS): opens a Libertine (CFF) card, an imposed
/// sheet with crop marks and the calibration sheet in every standard without
/// a warning. Runs when `node` is installed and STATIONER_PDFJS names an
/// installed `pdfjs-dist` folder (`npm install pdfjs-dist@4`; `.ci/run` does
/// this), else skips with a message (fails under STATIONER_REQUIRE_TOOLS).
#[test]
fn pdfjs_reports_no_font_warning() {
    let required = std::env::var("STATIONER_REQUIRE_TOOLS").as_deref() == Ok("1");
    let Some(pdfjs) = std::env::var_os("STATIONER_PDFJS").map(PathBuf::from) else {
        assert!(
            !required,
            "STATIONER_PDFJS must name a pdfjs-dist folder here"
        );
        eprintln!("SKIPPED: set STATIONER_PDFJS to a pdfjs-dist folder to run pdf.js");
        return;
    };
    if !have_tool("node") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let module = pdfjs.join("legacy/build/pdf.mjs");
    let script = dir.path().join("check.mjs");
    std::fs::write(
        &script,
        format!(
            r#"import {{ getDocument }} from "{}";
import fs from "fs";
for (const f of process.argv.slice(2)) {{
  const doc = await getDocument({{ data: new Uint8Array(fs.readFileSync(f)), verbosity: 5,
    disableFontFace: true }}).promise;
  for (let i = 1; i <= doc.numPages; i++) {{
    const p = await doc.getPage(i);
    await p.getTextContent();
    await p.getOperatorList();
  }}
  console.log("DONE " + f);
}}
"#,
            module.display()
        ),
    )
    .unwrap();
    let r = root();
    let note = r.join("samples/note.toml");
    let mut files = Vec::new();
    for standard in ["", "a-1b", "a-2b", "x-4"] {
        let out = dir.path().join(format!("folded{standard}.pdf"));
        let mut args = vec![
            "render",
            note.to_str().unwrap(),
            "--layout",
            "folded-a2",
            "-o",
            out.to_str().unwrap(),
        ];
        if !standard.is_empty() {
            args.extend(["--pdf-standard", standard]);
        }
        ok(dir.path(), &args);
        files.push(out);
        let (template, csv) = (
            r.join("samples/template.toml"),
            r.join("samples/recipients.csv"),
        );
        let sheet = dir.path().join(format!("sheet{standard}.pdf"));
        let cal = dir.path().join(format!("cal{standard}.pdf"));
        let mut batch = vec![
            "batch",
            template.to_str().unwrap(),
            "--data",
            csv.to_str().unwrap(),
            "--sheet",
            "letter",
            "--crop-marks",
            "-o",
            sheet.to_str().unwrap(),
        ];
        let mut calibrate = vec!["calibrate", "-o", cal.to_str().unwrap()];
        if !standard.is_empty() {
            batch.extend(["--pdf-standard", standard]);
            calibrate.extend(["--pdf-standard", standard]);
        }
        ok(dir.path(), &batch);
        ok(dir.path(), &calibrate);
        files.extend([sheet, cal]);
    }
    let o = Command::new("node")
        .arg(&script)
        .args(&files)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{out}");
    assert_eq!(out.matches("DONE").count(), files.len(), "{out}");
    let complaints: Vec<&str> = out
        .lines()
        .filter(|l| {
            let l = l.to_lowercase();
            l.contains("warning") || l.contains("inconsistent") || l.contains("error")
        })
        .collect();
    assert!(complaints.is_empty(), "{}", complaints.join("\n"));
}
