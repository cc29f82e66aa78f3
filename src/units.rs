//! Lengths. Everything inside Stationer is in PDF points (1/72 in); a length is
//! parsed once, at the edge, from text such as `5.5in`, `140mm`, `1.2cm` or `12pt`.

use std::fmt;
use std::str::FromStr;

/// A length in PDF points (1/72 inch).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Pt(pub f32);

/// The largest length Stationer accepts anywhere: 100 inches.
pub const MAX_LENGTH: Pt = Pt(7200.0);

impl Pt {
    /// Points per inch.
    pub const PER_INCH: f32 = 72.0;
    /// Points per millimetre.
    pub const PER_MM: f32 = 72.0 / 25.4;

    /// Builds a length from inches.
    pub fn inches(v: f32) -> Pt {
        Pt(v * Self::PER_INCH)
    }

    /// Builds a length from millimetres.
    pub fn mm(v: f32) -> Pt {
        Pt(v * Self::PER_MM)
    }
}

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}pt", (self.0 * 100.0).round() / 100.0)
    }
}

/// A unit lengths are written in, so that a message can give a length back
/// in the unit the user wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    /// Inches.
    In,
    /// Millimetres.
    Mm,
    /// Centimetres.
    Cm,
    /// Points.
    #[default]
    Pt,
}

impl Unit {
    /// The unit a written length ends in (`"0.5in"`, `"12 mm"`, also with
    /// its TOML quotes); points when there is none that Stationer knows.
    pub fn of(written: &str) -> Unit {
        let w = written
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim_end();
        let letters = w.len() - w.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len();
        match &w[w.len() - letters..] {
            "in" => Unit::In,
            "mm" => Unit::Mm,
            "cm" => Unit::Cm,
            _ => Unit::Pt,
        }
    }

    /// The unit people name a paper size in: millimetres for ISO sizes
    /// (given in mm in its label), inches for the rest.
    pub fn of_label(label: &str) -> Unit {
        if label.trim_end().ends_with("mm") {
            Unit::Mm
        } else {
            Unit::In
        }
    }
}

impl Unit {
    /// The unit a size is most likely named in: inches when both sides
    /// are whole quarters of an inch (US sizes), else millimetres when both
    /// are whole millimetres (ISO sizes), else inches.
    pub fn of_size(w: Pt, h: Pt) -> Unit {
        let whole = |v: f32| (v - v.round()).abs() < 0.02;
        if whole(w.0 / 18.0) && whole(h.0 / 18.0) {
            Unit::In
        } else if whole(w.0 / Pt::PER_MM) && whole(h.0 / Pt::PER_MM) {
            Unit::Mm
        } else {
            Unit::In
        }
    }
}

impl Pt {
    /// The length in `unit`, rounded as people write it there: `5.5in`,
    /// `139.7mm`, `13.97cm`, `396pt`.
    pub fn show(self, unit: Unit) -> String {
        let pt = f64::from(self.0);
        let (v, digits, name) = match unit {
            Unit::In => (pt / 72.0, 3, "in"),
            Unit::Mm => (pt / 72.0 * 25.4, 1, "mm"),
            Unit::Cm => (pt / 72.0 * 2.54, 2, "cm"),
            Unit::Pt => (pt, 2, "pt"),
        };
        // Halves round away from zero (4.25in is 107.95mm, shown as 108mm),
        // whatever the binary fraction below them.
        let v = v + v.signum() * 1e-6;
        let mut n = format!("{v:.digits$}");
        if n.contains('.') {
            n.truncate(n.trim_end_matches('0').trim_end_matches('.').len());
        }
        if n == "-0" {
            n = "0".into();
        }
        format!("{n}{name}")
    }
}

/// Why a length could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct LengthError(pub String);

impl fmt::Display for LengthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Pt {
    type Err = LengthError;

    /// Parses `<number><unit>` with unit `in`, `mm`, `cm` or `pt`; white space
    /// around the number is allowed. The number may be negative (offsets are).
    fn from_str(s: &str) -> Result<Pt, LengthError> {
        let s = s.trim();
        // The unit is the trailing run of letters ("1e3pt" is 1000 points).
        let split = s
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphabetic())
            .last()
            .map(|(i, _)| i)
            .filter(|&i| i > 0 || s.is_empty())
            .ok_or_else(|| {
                LengthError(format!(
                    "length {} has no unit (write it as e.g. \"0.5in\", \"12mm\", \"1.2cm\" or \"12pt\")",
                    crate::diag::quote(s)
                ))
            })?;
        let (num, unit) = s.split_at(split);
        let value: f32 = num.trim().parse().map_err(|_| {
            LengthError(format!(
                "length {} does not start with a number",
                crate::diag::quote(s)
            ))
        })?;
        let factor = match unit.trim() {
            "in" => Pt::PER_INCH,
            "mm" => Pt::PER_MM,
            "cm" => Pt::PER_MM * 10.0,
            "pt" => 1.0,
            other => {
                return Err(LengthError(format!(
                    "length {} has unknown unit {} (use in, mm, cm or pt)",
                    crate::diag::quote(s),
                    crate::diag::quote(other)
                )))
            }
        };
        let pt = value * factor;
        if !pt.is_finite() || pt.abs() > MAX_LENGTH.0 {
            return Err(LengthError(format!(
                "length {} is out of range (at most 100in either way)",
                crate::diag::quote(s)
            )));
        }
        Ok(Pt(pt))
    }
}

impl<'de> serde::Deserialize<'de> for Pt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pt, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Pt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a length with a unit, such as \"0.5in\", \"12mm\" or \"11pt\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Pt, E> {
                v.parse().map_err(|e: LengthError| E::custom(e.0))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Pt, E> {
                Err(E::custom(format!(
                    "length {v} has no unit (write it as a string, e.g. \"{v}pt\")"
                )))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Pt, E> {
                Err(E::custom(format!(
                    "length {v} has no unit (write it as a string, e.g. \"{v}pt\")"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_shown_in_the_unit_written() {
        assert_eq!(Unit::of("\"0.5in\""), Unit::In);
        assert_eq!(Unit::of("12 mm"), Unit::Mm);
        assert_eq!(Unit::of("1.2cm"), Unit::Cm);
        assert_eq!(Unit::of("11pt"), Unit::Pt);
        assert_eq!(Pt(396.0).show(Unit::In), "5.5in");
        assert_eq!(Pt(36.0).show(Unit::In), "0.5in");
        assert_eq!("139.7mm".parse::<Pt>().unwrap().show(Unit::Mm), "139.7mm");
        assert_eq!("1.2cm".parse::<Pt>().unwrap().show(Unit::Cm), "1.2cm");
        assert_eq!(Pt(11.5).show(Unit::Pt), "11.5pt");
        assert_eq!(Pt(-0.0001).show(Unit::In), "0in");
        assert_eq!(Unit::of_label("148 x 105 mm"), Unit::Mm);
        assert_eq!(Unit::of_label("5.5 x 4.25 in"), Unit::In);
        assert_eq!(Unit::of_size(Pt(612.0), Pt(792.0)), Unit::In);
        assert_eq!(Unit::of_size(Pt::mm(210.0), Pt::mm(297.0)), Unit::Mm);
    }

    #[test]
    fn parses_units() {
        assert_eq!("5.5in".parse::<Pt>().unwrap(), Pt(396.0));
        assert_eq!("12pt".parse::<Pt>().unwrap(), Pt(12.0));
        assert!(("25.4mm".parse::<Pt>().unwrap().0 - 72.0).abs() < 1e-4);
        assert!(("2.54 cm".parse::<Pt>().unwrap().0 - 72.0).abs() < 1e-4);
        assert_eq!("-1.5pt".parse::<Pt>().unwrap(), Pt(-1.5));
        assert_eq!("1e2pt".parse::<Pt>().unwrap(), Pt(100.0));
    }

    #[test]
    fn rejects_bad_lengths() {
        for bad in [
            "12", "in", "12px", "NaNpt", "infpt", "1e9in", "1e308pt", "", "-",
        ] {
            assert!(bad.parse::<Pt>().is_err(), "{bad} should be rejected");
        }
    }
}
