//! PDF/A and PDF/X: which standard a file claims, the colour profiles its
//! output intent carries, its XMP metadata, and its dates.
//!
//! The colour profiles are built in (`icc/`, with their licence):
//! - `sRGB.icc`, ICC v2, from Debian's `icc-profiles-free` (zlib licence):
//!   the output intent of PDF/A files, and the `DefaultRGB` of PDF/X-4
//!   files (so the RGB a design gives is device-independent sRGB there).
//! - `FOGRA39L.icc`, a CMYK printer profile that ArgyllCMS `colprof` built
//!   from the FOGRA39L characterisation data in `icc-profiles-free` (zlib
//!   licence): the output intent of PDF/X-4 files (offset on coated paper,
//!   ISO 12647-2:2004/Amd 1).

use std::fmt::Write;

/// A standard a PDF conforms to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfStandard {
    /// PDF/A-1b (ISO 19005-1, level B): PDF 1.4, a classic cross-reference
    /// table, an sRGB output intent, no transparency.
    A1b,
    /// PDF/A-2b (ISO 19005-2, level B): an sRGB output intent;
    /// transparency allowed.
    A2b,
    /// PDF/X-4 (ISO 15930-7): a CMYK output intent (FOGRA39), `Trapped`,
    /// `GTS_PDFXVersion`, trim and bleed boxes on every page.
    X4,
}

impl PdfStandard {
    /// Every standard, in the order they are offered.
    pub const ALL: [PdfStandard; 3] = [PdfStandard::A1b, PdfStandard::A2b, PdfStandard::X4];

    /// Its short name: `a-1b`, `a-2b` or `x-4`.
    pub fn name(self) -> &'static str {
        match self {
            PdfStandard::A1b => "a-1b",
            PdfStandard::A2b => "a-2b",
            PdfStandard::X4 => "x-4",
        }
    }

    /// The standard of a short name (`a-1b`, `a-2b`, `x-4`; case ignored).
    pub fn from_name(name: &str) -> Option<PdfStandard> {
        PdfStandard::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// Its full name, as messages say it: "PDF/A-1b".
    pub fn title(self) -> &'static str {
        match self {
            PdfStandard::A1b => "PDF/A-1b",
            PdfStandard::A2b => "PDF/A-2b",
            PdfStandard::X4 => "PDF/X-4",
        }
    }

    /// Whether it is a PDF/A part.
    pub fn is_pdfa(self) -> bool {
        matches!(self, PdfStandard::A1b | PdfStandard::A2b)
    }

    /// Whether the file may hold transparency (soft masks).
    pub fn allows_transparency(self) -> bool {
        !matches!(self, PdfStandard::A1b)
    }

    /// The PDF version the file's header gives.
    pub(super) fn version(self) -> (u8, u8) {
        match self {
            PdfStandard::A1b => (1, 4),
            PdfStandard::A2b => (1, 7),
            PdfStandard::X4 => (1, 6),
        }
    }
}

/// The sRGB profile (ICC v2), 3 components.
pub(super) const SRGB_ICC: &[u8] = include_bytes!("../../../icc/sRGB.icc");

/// The CMYK printing profile (FOGRA39L, ICC v2), 4 components.
pub(super) const CMYK_ICC: &[u8] = include_bytes!("../../../icc/FOGRA39L.icc");

/// The output intent of a standard: profile, its component count, the
/// condition identifier, a registry, and a description.
pub(super) struct Intent {
    pub profile: &'static [u8],
    pub components: i32,
    pub identifier: &'static str,
    pub registry: Option<&'static str>,
    pub info: &'static str,
}

impl PdfStandard {
    pub(super) fn intent(self) -> Intent {
        match self {
            PdfStandard::A1b | PdfStandard::A2b => Intent {
                profile: SRGB_ICC,
                components: 3,
                identifier: "sRGB IEC61966-2.1",
                registry: Some("http://www.color.org"),
                info: "sRGB IEC61966-2.1",
            },
            PdfStandard::X4 => Intent {
                profile: CMYK_ICC,
                components: 4,
                identifier: "FOGRA39",
                registry: Some("http://www.color.org"),
                info: "Coated FOGRA39 (ISO 12647-2:2004/Amd 1), profile built with ArgyllCMS \
                       from the FOGRA39L data of icc-profiles-free",
            },
        }
    }
}

/// A moment in UTC, from seconds since 1970-01-01 (clamped to the years
/// 1970 to 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Moment {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Moment {
    pub fn from_unix(secs: i64) -> Moment {
        let secs = secs.clamp(0, 253_402_300_799);
        let days = secs.div_euclid(86_400);
        let rest = secs.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Moment {
            year,
            month,
            day,
            hour: (rest / 3600) as u8,
            minute: (rest / 60 % 60) as u8,
            second: (rest % 60) as u8,
        }
    }

    /// As a PDF date (`D:YYYYMMDDHHmmSSZ`, pdf-writer adds `00'00`).
    pub fn pdf(self) -> pdf_writer::Date {
        pdf_writer::Date::new(self.year)
            .month(self.month)
            .day(self.day)
            .hour(self.hour)
            .minute(self.minute)
            .second(self.second)
            .utc_offset_hour(0)
            .utc_offset_minute(0)
    }

    /// As an XMP date.
    pub fn xmp(self) -> xmp_writer::DateTime {
        xmp_writer::DateTime::new(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            xmp_writer::Timezone::Utc,
        )
    }
}

/// What the document says about itself, in `/Info` and in XMP alike.
pub(super) struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub creator: &'a str,
    pub producer: &'a str,
    pub date: Option<Moment>,
    pub standard: Option<PdfStandard>,
    /// A stable id of the document (hex), for the XMP document and instance ids.
    pub id: &'a str,
}

/// The XMP packet: the same title, author, tools and dates as `/Info`, and
/// the PDF/A or PDF/X identification.
pub(super) fn xmp(meta: &Meta) -> String {
    let mut x = xmp_writer::XmpWriter::new();
    x.title([(None, meta.title)]);
    if !meta.author.is_empty() {
        x.creator([meta.author]);
    }
    x.format("application/pdf");
    x.creator_tool(meta.creator);
    x.producer(meta.producer);
    if let Some(d) = meta.date {
        x.create_date(d.xmp());
        x.modify_date(d.xmp());
        x.metadata_date(d.xmp());
    }
    let mut uuid = String::new();
    let _ = write!(uuid, "uuid:{}", meta.id);
    x.document_id(&uuid);
    x.instance_id(&uuid);
    match meta.standard {
        Some(PdfStandard::A1b) => {
            x.pdfa_part(1);
            x.pdfa_conformance("B");
        }
        Some(PdfStandard::A2b) => {
            x.pdfa_part(2);
            x.pdfa_conformance("B");
        }
        Some(PdfStandard::X4) => {
            x.pdfx_version("PDF/X-4");
            x.version_id("1");
            x.rendition_class(xmp_writer::RenditionClass::Default);
            x.trapped(false);
        }
        None => {}
    }
    x.finish(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_become_calendar_dates() {
        let m = Moment::from_unix(0);
        assert_eq!((m.year, m.month, m.day, m.hour), (1970, 1, 1, 0));
        // 2024-02-29T12:34:56Z, a leap day.
        let m = Moment::from_unix(1_709_210_096);
        assert_eq!(
            (m.year, m.month, m.day, m.hour, m.minute, m.second),
            (2024, 2, 29, 12, 34, 56)
        );
        let m = Moment::from_unix(951_782_400); // 2000-02-29
        assert_eq!((m.year, m.month, m.day), (2000, 2, 29));
    }

    #[test]
    fn names_round_trip() {
        for s in PdfStandard::ALL {
            assert_eq!(PdfStandard::from_name(s.name()), Some(s));
        }
        assert_eq!(PdfStandard::from_name("X-4"), Some(PdfStandard::X4));
        assert_eq!(PdfStandard::from_name("a-3b"), None);
    }

    #[test]
    fn xmp_carries_the_identification() {
        let meta = Meta {
            title: "Dear Ann",
            author: "Alex",
            creator: "Stationer",
            producer: "Stationer 0",
            date: Some(Moment::from_unix(0)),
            standard: Some(PdfStandard::A1b),
            id: "00ff",
        };
        let x = xmp(&meta);
        assert!(x.contains("<pdfaid:part>1</pdfaid:part>"), "{x}");
        assert!(
            x.contains("Alex") && x.contains("1970-01-01T00:00:00Z"),
            "{x}"
        );
        let meta = Meta {
            standard: Some(PdfStandard::X4),
            ..meta
        };
        assert!(xmp(&meta).contains("PDF/X-4"));
    }
}
