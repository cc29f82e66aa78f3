//! Helpers shared by the integration tests: running the binary in a
//! throw-away directory, and calling outside programs (poppler, qpdf) that
//! are skipped with a visible message locally and mandatory in CI.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `stationer` with arguments, in `dir`.
pub fn stationer(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run stationer")
}

/// Every regular file and symbolic link below `dir`, with its bytes (a
/// link: where it points); FIFOs and other files by their kind.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let key = p.strip_prefix(dir).unwrap().to_path_buf();
            if m.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.insert(key, format!("link to {}", t.display()).into_bytes());
            } else if m.is_dir() {
                out.insert(key, b"folder".to_vec());
                todo.push(p);
            } else if m.is_file() {
                out.insert(key, std::fs::read(&p).unwrap());
            } else {
                out.insert(key, b"special".to_vec());
            }
        }
    }
    out
}

/// Temporary files left anywhere below `dir`.
pub fn temps(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|k| {
            let n = k.file_name().unwrap().to_string_lossy();
            n.starts_with(".stationer-") && n.ends_with(".tmp")
        })
        .collect()
}

/// The run changed nothing and left no temporary file.
pub fn assert_untouched(dir: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) {
    assert_eq!(temps(dir), Vec::<PathBuf>::new(), "temporary files remain");
    let after = snapshot(dir);
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "files changed: {changed:?}");
}

/// The run failed with exit status `code` and a message containing `expect`.
pub fn assert_fails(o: &Output, code: i32, expect: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(err.contains(expect), "message lacks {expect:?}: {err}");
}

/// Runs `stationer` in `dir` with `input` written to its standard input
/// from another thread, which gives up quietly when Stationer stops
/// reading (a bounded read refuses the rest).
pub fn with_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stationer"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run stationer");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("run stationer");
    writer.join().unwrap();
    out
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Whether an outside program can be used. When it is missing the test is
/// skipped with a message, unless `STATIONER_REQUIRE_TOOLS=1` (set by CI),
/// where a missing program fails the test.
pub fn have_tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("-v")
        .output()
        .map(|_| true)
        .unwrap_or(false);
    if !found {
        if std::env::var("STATIONER_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{name} is required (STATIONER_REQUIRE_TOOLS=1) but not installed");
        }
        eprintln!(
            "SKIPPED: {name} is not installed; install poppler-utils and qpdf to run this check"
        );
    }
    found
}

/// Runs an outside program and returns its stdout; panics on failure.
pub fn run_tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name).args(args).output().expect(name);
    assert!(
        o.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A word found by `pdftotext -bbox`: its text and box (points, top-left origin).
#[derive(Debug, Clone)]
pub struct BboxWord {
    pub text: String,
    pub bbox: [f32; 4],
}

/// Words of page 1..n of a PDF, with their boxes, from `pdftotext -bbox`.
pub fn bbox_words(pdf: &Path) -> Vec<Vec<BboxWord>> {
    let html = run_tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for chunk in page.split("<word ").skip(1) {
            let attr = |name: &str| -> f32 {
                let key = format!("{name}=\"");
                let start = chunk.find(&key).unwrap() + key.len();
                let end = start + chunk[start..].find('"').unwrap();
                chunk[start..end].parse().unwrap()
            };
            let text_start = chunk.find('>').unwrap() + 1;
            let text_end = chunk.find("</word>").unwrap();
            let text = chunk[text_start..text_end]
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'");
            words.push(BboxWord {
                text,
                bbox: [attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")],
            });
        }
        pages.push(words);
    }
    pages
}

/// Whether box `inner` lies within `outer`, allowing `tol` points.
pub fn inside(inner: [f32; 4], outer: [f32; 4], tol: f32) -> bool {
    inner[0] >= outer[0] - tol
        && inner[1] >= outer[1] - tol
        && inner[2] <= outer[2] + tol
        && inner[3] <= outer[3] + tol
}

/// Whether two boxes overlap by more than `tol` points in both directions.
pub fn overlaps(a: [f32; 4], b: [f32; 4], tol: f32) -> bool {
    a[0] < b[2] - tol && b[0] < a[2] - tol && a[1] < b[3] - tol && b[1] < a[3] - tol
}

/// A 1x1 PNG whose header claims another size (with a correct CRC).
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut buf = Vec::new();
    use image::ImageEncoder;
    image::codecs::png::PngEncoder::new(&mut buf)
        .write_image(&[0, 0, 0], 1, 1, image::ExtendedColorType::Rgb8)
        .unwrap();
    // Signature (8), IHDR length (4), "IHDR" (4), width, height ... CRC after 13 bytes of data.
    buf[16..20].copy_from_slice(&width.to_be_bytes());
    buf[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&buf[12..29]);
    buf[29..33].copy_from_slice(&crc.to_be_bytes());
    buf
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A valid PNG of `width` x `height` pixels, 16-bit RGBA, every pixel zero:
/// the file is small (a hand-made deflate stream of 258-byte repeats,
/// about 160 to 1) but decoding it takes `width * height * 8` bytes.
pub fn png_of_zeros(width: u32, height: u32) -> Vec<u8> {
    let raw_len = (1 + width as u64 * 8) * height as u64;
    // Deflate, one block with the fixed codes: a literal 0, then copies of
    // 258 bytes at distance 1, then literal zeros, then the end of block.
    let mut bits = BitWriter::default();
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman codes
    let literal0 = (0b0011_0000, 8);
    bits.code(literal0);
    let mut left = raw_len - 1;
    while left >= 258 {
        bits.code((0b1100_0101, 8)); // length 258 (code 285)
        bits.code((0, 5)); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        bits.code(literal0);
    }
    bits.code((0, 7)); // end of block
    let mut idat = vec![0x78, 0x01];
    idat.extend(bits.finish());
    // Adler-32 of zeros: a stays 1, b adds 1 per byte.
    let adler = ((raw_len % 65521) << 16 | 1) as u32;
    idat.extend_from_slice(&adler.to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[16, 6, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &idat);
    chunk(b"IEND", &[]);
    out
}

/// Bits packed as deflate packs them (least significant first).
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    /// A value of `len` bits, least significant bit first.
    fn put(&mut self, value: u32, len: u32) {
        for i in 0..len {
            self.bit((value >> i) & 1);
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, (code, len): (u32, u32)) {
        for i in (0..len).rev() {
            self.bit((code >> i) & 1);
        }
    }

    fn bit(&mut self, b: u32) {
        self.acc |= b << self.n;
        self.n += 1;
        if self.n == 8 {
            self.out.push(self.acc as u8);
            self.acc = 0;
            self.n = 0;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Straight segments drawn in each page of a PDF, from qpdf's uncompressed
/// output: (x0, y0, x1, y1) in PDF points (origin bottom-left).
pub fn segments(pdf: &Path, dir: &Path) -> Vec<Vec<[f32; 4]>> {
    let qdf = dir.join("q.pdf");
    run_tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            qdf.to_str().unwrap(),
        ],
    );
    let text = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    let mut pages = Vec::new();
    for chunk in text.split("%% Contents for page").skip(1) {
        let mut segs = Vec::new();
        let mut start: Option<[f32; 2]> = None;
        let mut nums: Vec<f32> = Vec::new();
        for tok in chunk.split_whitespace() {
            if tok == "endstream" {
                break;
            }
            match tok {
                "m" if nums.len() >= 2 => {
                    start = Some([nums[nums.len() - 2], nums[nums.len() - 1]])
                }
                "l" if nums.len() >= 2 => {
                    if let Some(s) = start {
                        segs.push([s[0], s[1], nums[nums.len() - 2], nums[nums.len() - 1]]);
                    }
                }
                _ => {}
            }
            match tok.parse::<f32>() {
                Ok(v) => nums.push(v),
                Err(_) => nums.clear(),
            }
        }
        pages.push(segs);
    }
    pages
}

/// A picture as grey levels (Rec. 601 weights), row by row.
pub fn grey(img: &image::RgbImage) -> Vec<Vec<f32>> {
    (0..img.height())
        .map(|y| {
            (0..img.width())
                .map(|x| {
                    let [r, g, b] = img.get_pixel(x, y).0;
                    0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32
                })
                .collect()
        })
        .collect()
}

/// A 3x3 box blur (edges clamped) over the top-left `w` x `h`.
pub fn blur(g: &[Vec<f32>], w: usize, h: usize) -> Vec<Vec<f32>> {
    let at = |x: isize, y: isize| {
        g[y.clamp(0, h as isize - 1) as usize][x.clamp(0, w as isize - 1) as usize]
    };
    (0..h as isize)
        .map(|y| {
            (0..w as isize)
                .map(|x| {
                    let mut sum = 0.0;
                    for dy in -1..=1 {
                        for dx in -1..=1 {
                            sum += at(x + dx, y + dy);
                        }
                    }
                    sum / 9.0
                })
                .collect()
        })
        .collect()
}

/// The share of pixels (0 to 1) whose grey levels differ by more than a
/// quarter of the range after a 3x3 blur, over the area both pictures cover.
pub fn differing_share(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let (w, h) = (
        a.width().min(b.width()) as usize,
        a.height().min(b.height()) as usize,
    );
    let (ga, gb) = (blur(&grey(a), w, h), blur(&grey(b), w, h));
    let differ = ga
        .iter()
        .flatten()
        .zip(gb.iter().flatten())
        .filter(|(p, q)| (*p - *q).abs() > 64.0)
        .count();
    differ as f64 / (w * h) as f64
}
