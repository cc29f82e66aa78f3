//! Preview speed: the whole `stationer preview` process against `pdftoppm`
//! rendering the same card's PDF, both at 150 dpi, medians side by side.
//! Also the preview's stages in-process (layout, rasterising, PNG encoding).
//!
//! Run with `cargo bench --bench preview`. Targets: a preview in at most
//! 15 ms, and at least 3 times faster than pdftoppm.

use stationer::export::png::{encode_png, page_png, render_png, PngOptions};
use stationer::{design_for, layout_card, load_note};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Timed runs of each program (alternating, after warm-up runs).
const RUNS: usize = 41;
const DPI: &str = "150";

fn run(program: &str, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let took = start.elapsed();
    assert!(status.success(), "{program} {args:?} failed");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let note = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/note.toml");
    let note = note.to_str().expect("utf-8 path");
    let dir = tempfile::tempdir().expect("temporary folder");
    // Timed as installed, a fresh copy (as `bench/compare.sh` does): how
    // the linker's own file sits in the page cache slows its start here.
    let installed = dir.path().join("stationer");
    std::fs::copy(env!("CARGO_BIN_EXE_stationer"), &installed).expect("copy of the binary");
    let bin = installed.to_str().expect("utf-8 path");
    let png = dir.path().join("card.png");
    let pdf = dir.path().join("card.pdf");
    let poppler = dir.path().join("poppler");
    let (png, pdf, poppler) = (
        png.to_str().unwrap(),
        pdf.to_str().unwrap(),
        poppler.to_str().unwrap(),
    );
    run(bin, &["render", note, "-o", pdf]);
    let preview_args = ["preview", note, "-o", png, "--dpi", DPI];
    let poppler_args = ["-r", DPI, "-png", "-singlefile", pdf, poppler];
    let have_poppler = Command::new("pdftoppm")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_ok();

    for _ in 0..3 {
        run(bin, &preview_args);
        if have_poppler {
            run("pdftoppm", &poppler_args);
        }
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        ours.push(run(bin, &preview_args));
        if have_poppler {
            theirs.push(run("pdftoppm", &poppler_args));
        }
    }
    let ours = median(ours);
    println!("whole process, median of {RUNS} runs, A2 card at {DPI} dpi:");
    println!(
        "  stationer preview {note} -o card.png --dpi {DPI}   {:7.2} ms",
        ms(ours)
    );
    if have_poppler {
        let theirs = median(theirs);
        println!(
            "  pdftoppm -r {DPI} -png -singlefile card.pdf                {:7.2} ms",
            ms(theirs)
        );
        let ratio = theirs.as_secs_f64() / ours.as_secs_f64();
        println!("  ratio pdftoppm / preview: {ratio:.1}x");
        let met = ms(ours) <= 15.0 && ratio >= 3.0;
        println!(
            "  targets (<= 15 ms, >= 3x faster): {}",
            if met { "met" } else { "MISSED" }
        );
    } else {
        println!("  SKIPPED pdftoppm: not installed");
    }

    // The stages, in-process.
    let stage = |f: &mut dyn FnMut()| {
        let mut v = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            f();
            v.push(t.elapsed());
        }
        ms(median(v))
    };
    let n = load_note(Path::new(note)).expect("sample note");
    let design = design_for(&n, None).expect("design");
    let card = layout_card(&n, &design).expect("layout");
    let options = PngOptions::default();
    let image = render_png(&card.scene, 0, &options);
    let layout = stage(&mut || {
        std::hint::black_box(layout_card(&n, &design).expect("layout"));
    });
    let raster = stage(&mut || {
        std::hint::black_box(render_png(&card.scene, 0, &options));
    });
    let encode = stage(&mut || {
        std::hint::black_box(encode_png(&image, options.dpi));
    });
    // As `preview` writes it: page_png draws a card in greys in grey.
    let page = stage(&mut || {
        std::hint::black_box(page_png(&card.scene, 0, &options));
    });
    println!(
        "in-process medians: layout {layout:.2} ms, rasterise {raster:.2} ms, encode {encode:.2} ms \
         ({} bytes, RGB); both as preview writes it (page_png) {page:.2} ms ({} bytes)",
        encode_png(&image, options.dpi).len(),
        page_png(&card.scene, 0, &options).len()
    );

    // A contact sheet of 100 cards (the sample recipients, repeated).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let csv = std::fs::read_to_string(root.join("samples/recipients.csv")).expect("sample list");
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();
    let mut hundred = format!("{header}\n");
    for i in 0..100 {
        hundred.push_str(rows[i % rows.len()]);
        hundred.push('\n');
    }
    let data = dir.path().join("hundred.csv");
    std::fs::write(&data, hundred).expect("write list");
    let sheet = dir.path().join("sheet.png");
    let template = root.join("samples/template.toml");
    let args = [
        "preview",
        template.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "-o",
        sheet.to_str().unwrap(),
    ];
    run(bin, &args);
    let sheet_times: Vec<_> = (0..9).map(|_| run(bin, &args)).collect();
    println!(
        "contact sheet of 100 cards, whole process, median of 9: {:.1} ms (target < 1000 ms)",
        ms(median(sheet_times))
    );
}
