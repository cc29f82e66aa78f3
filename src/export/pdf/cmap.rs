//! Glyph codes of variable width, and the two CMaps that say what they mean.
//!
//! Content streams show glyphs by code. `Identity-H` spends two bytes on
//! every glyph; a card's text uses a few dozen glyphs of each face, so the
//! first 187 CIDs of a subset get one byte (every byte below `C0` that a
//! literal string need not escape), the next 12,288 two and the rest three. An embedded encoding CMap maps the codes to CIDs, and the ToUnicode
//! CMap, with the same code space, maps them to text. On the 1,000 cards of
//! the benchmark this takes a sixth off the compressed content.

/// The one-byte codes: `<00>`–`<BF>` but for the bytes a literal string
/// would have to escape (line ends, parentheses and the backslash).
const ONE_BYTE: [u8; 187] = one_byte_codes();

const fn one_byte_codes() -> [u8; 187] {
    let mut codes = [0u8; 187];
    let (mut b, mut i) = (0u8, 0);
    while b < 0xC0 {
        if !matches!(b, b'\n' | b'\r' | b'(' | b')' | b'\\') {
            codes[i] = b;
            i += 1;
        }
        b += 1;
    }
    codes
}

/// CIDs below this are one byte.
const ONE: u32 = ONE_BYTE.len() as u32;
/// CIDs below this (and from [`ONE`]) are two bytes: `<C000>`–`<EFFF>`.
const TWO: u32 = ONE + 0x3000;

const CODESPACE: &str =
    "3 begincodespacerange\n<00> <BF>\n<C000> <EFFF>\n<F00000> <FFFFFF>\nendcodespacerange\n";

/// The name of the encoding CMap (`/CMapName`).
pub const ENCODING_NAME: &[u8] = b"Stationer-Codes";

/// Appends the code of `cid` to a string of codes.
pub fn push_code(out: &mut Vec<u8>, cid: u16) {
    let cid = u32::from(cid);
    if cid < ONE {
        out.push(ONE_BYTE[cid as usize]);
    } else if cid < TWO {
        let v = cid - ONE;
        out.extend([0xC0 + (v >> 8) as u8, v as u8]);
    } else {
        let v = cid - TWO;
        out.extend([0xF0 + (v >> 16) as u8, (v >> 8) as u8, v as u8]);
    }
}

/// The code of `cid` as hexadecimal digits, as a CMap writes it.
fn hex_code(out: &mut String, cid: u16) {
    let mut bytes = Vec::with_capacity(3);
    push_code(&mut bytes, cid);
    out.push('<');
    for b in bytes {
        out.push_str(&format!("{b:02X}"));
    }
    out.push('>');
}

fn header(out: &mut String, name: &str, registry: &str, ordering: &str) {
    out.push_str("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n");
    out.push_str(&format!(
        "/CIDSystemInfo 3 dict dup begin\n/Registry ({registry}) def\n/Ordering ({ordering}) def\n/Supplement 0 def\nend def\n"
    ));
    out.push_str(&format!(
        "/CMapName /{name} def\n/CMapVersion 1 def\n/CMapType {} def\n/WMode 0 def\n",
        if ordering == "UCS" { 2 } else { 1 }
    ));
    out.push_str(CODESPACE);
}

const FOOTER: &str = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/// Writes `entries` in blocks of at most 100, as CMaps require.
fn blocks(out: &mut String, keyword: &str, entries: &[String]) {
    for block in entries.chunks(100) {
        out.push_str(&format!("{} begin{keyword}\n", block.len()));
        for e in block {
            out.push_str(e);
            out.push('\n');
        }
        out.push_str(&format!("end{keyword}\n"));
    }
}

/// The encoding CMap for a subset of `n` CIDs: each code to its CID.
pub fn encoding(n: u16) -> Vec<u8> {
    let mut out = String::new();
    header(
        &mut out,
        std::str::from_utf8(ENCODING_NAME).unwrap_or("Stationer-Codes"),
        "Adobe",
        "Identity",
    );
    // One range per run of CIDs whose codes are consecutive and differ only
    // in the last byte.
    let mut ranges = Vec::new();
    let mut start = 0u32;
    while start < u32::from(n) {
        let end = if start < ONE {
            let mut end = start;
            while end + 1 < ONE && ONE_BYTE[end as usize + 1] == ONE_BYTE[end as usize] + 1 {
                end += 1;
            }
            end
        } else if start < TWO {
            ONE + ((start - ONE) | 0xFF)
        } else {
            TWO + ((start - TWO) | 0xFF)
        };
        let end = end.min(u32::from(n) - 1);
        let (mut lo, mut hi) = (String::new(), String::new());
        hex_code(&mut lo, start as u16);
        hex_code(&mut hi, end as u16);
        ranges.push(format!("{lo} {hi} {start}"));
        start = end + 1;
    }
    blocks(&mut out, "cidrange", &ranges);
    out.push_str(FOOTER);
    out.into_bytes()
}

/// The ToUnicode CMap: each code to the text its glyph stands for.
pub fn to_unicode<'t>(pairs: impl Iterator<Item = (u16, &'t str)>) -> Vec<u8> {
    let mut out = String::new();
    header(&mut out, "Stationer-UTF16", "Adobe", "UCS");
    let entries: Vec<String> = pairs
        .filter(|(_, text)| !text.is_empty())
        .map(|(cid, text)| {
            let mut e = String::new();
            hex_code(&mut e, cid);
            e.push_str(" <");
            for unit in text.encode_utf16() {
                e.push_str(&format!("{unit:04X}"));
            }
            e.push('>');
            e
        })
        .collect();
    blocks(&mut out, "bfchar", &entries);
    out.push_str(FOOTER);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(cid: u16) -> Vec<u8> {
        let mut v = Vec::new();
        push_code(&mut v, cid);
        v
    }

    #[test]
    fn codes_grow_from_one_to_three_bytes_and_stay_distinct() {
        assert_eq!(code(0), [0]);
        assert_eq!(code(10), [0x0B], "LF is skipped");
        assert_eq!(code(186), [0xBF]);
        assert_eq!(code(187), [0xC0, 0]);
        assert_eq!(code(187 + 0x2FFF), [0xEF, 0xFF]);
        assert_eq!(code(187 + 0x3000), [0xF0, 0, 0]);
        let all: std::collections::HashSet<Vec<u8>> = (0..=u16::MAX).map(code).collect();
        assert_eq!(all.len(), 65536);
        for cid in 0..187 {
            assert!(!matches!(code(cid)[0], b'\n' | b'\r' | b'(' | b')' | b'\\'));
        }
    }

    #[test]
    fn the_encoding_maps_every_cid_and_ranges_change_only_the_last_byte() {
        let text = String::from_utf8(encoding(700)).unwrap();
        for range in [
            "<00> <09> 0\n",
            "<0B> <0C> 10\n",
            "<0E> <27> 12\n",
            "<2A> <5B> 38\n",
            "<5D> <BF> 88\n",
            "<C000> <C0FF> 187\n",
            "<C100> <C1FF> 443\n",
            "<C200> <C200> 699\n",
        ] {
            assert!(text.contains(range), "{range} in {text}");
        }
        assert!(!text.contains("<C201>"), "{text}");
        let text = String::from_utf8(encoding(40_000)).unwrap();
        assert!(text.contains("<F00000> <F000FF> 12475\n"), "{text}");
        assert!(text.contains("100 begincidrange"), "blocks of 100");
    }

    #[test]
    fn to_unicode_uses_the_same_codes() {
        let text =
            String::from_utf8(to_unicode([(10, "l"), (200, "\u{1F600}")].into_iter())).unwrap();
        assert!(text.contains("<0B> <006C>"), "{text}");
        assert!(text.contains("<C00D> <D83DDE00>"), "{text}");
    }
}
