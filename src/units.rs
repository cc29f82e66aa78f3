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
