//! Renders a thank-you card through the library: a note written in code,
//! set on a bundled design, checked, then written as a PDF and a PNG
//! preview.
//!
//! ```sh
//! cargo run --example render_card -- /tmp/card   # writes /tmp/card.pdf and /tmp/card.png
//! ```

use stationer::{check, parse_note, render_pdf, render_png, CardOptions, PngOptions};
use std::path::{Path, PathBuf};

fn main() {
    let stem = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("card"), PathBuf::from);
    let note = parse_note(
        Path::new("example-note.toml"),
        r#"
greeting = "Dear Ms. Rivera,"
body = """
Thank you for taking the time to meet with me on Tuesday about the editor role.

Our conversation about the spring catalogue made me even more eager to join the team.
"""
closing = "With gratitude,"
signer = "Alex Morgan"
"#,
    );
    let options = CardOptions {
        layout: Some("portrait-a6".into()),
    };
    let result = note.and_then(|note| {
        let fitted = check(&note, &options)?;
        let pdf = render_pdf(&note, &options)?;
        let png = render_png(&note, &options, &PngOptions::default())?;
        Ok((fitted, pdf, png))
    });
    match result {
        Ok((fitted, pdf, png)) => {
            for w in &pdf.warnings {
                eprintln!("{w}");
            }
            let (pdf_path, png_path) = (stem.with_extension("pdf"), stem.with_extension("png"));
            std::fs::write(&pdf_path, &pdf.value).expect("write the PDF");
            std::fs::write(&png_path, &png.value).expect("write the PNG");
            println!(
                "{}: {} lines at {:.1} pt, {:.0}% full; preview {}",
                pdf_path.display(),
                fitted.lines.len(),
                fitted.size,
                fitted.fullness * 100.0,
                png_path.display()
            );
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
