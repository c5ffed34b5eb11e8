//! Units of the DOCX model and the layout engine, after typst's `Abs`/`Em`: each length carries its
//! unit in its type, and every change of unit is a named conversion with the rounding the engine
//! has always used (LibreOffice's, where it was measured).
//!
//! | type | unit | where it comes from |
//! |---|---|---|
//! | [`Twips`] | 1/20 pt = 1/1440 inch | almost every length in WordprocessingML |
//! | [`SixthTwips`] | 1/120 pt = 1/6 twip | LibreOffice's text-measuring unit: glyph advances and line widths |
//! | [`HalfPoints`] | 1/2 pt | font sizes (`w:sz`) |
//! | [`EighthPoints`] | 1/8 pt | border widths (`w:sz` of a border) |
//! | [`Emu`] | 1/914 400 inch = 1/635 twip | DrawingML extents (`wp:extent`) |

use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Rem, Sub, SubAssign};

/// A length in twips (1/20 point, 1/1440 inch).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Twips(pub i64);

impl Twips {
    pub const ZERO: Twips = Twips(0);
    /// One point.
    pub const POINT: Twips = Twips(20);
    /// One inch.
    pub const INCH: Twips = Twips(1440);
    /// Half an inch: Word's default tab stop, header and footer distance and column gap.
    pub const HALF_INCH: Twips = Twips(720);
    /// 22 inches: the largest page dimension, indent or spacing Word accepts; larger values in a
    /// file are clamped to it.
    pub const MAX_MEASURE: Twips = Twips(31680);

    /// The raw number of twips.
    pub const fn get(self) -> i64 {
        self.0
    }

    pub fn abs(self) -> Twips {
        Twips(self.0.abs())
    }

    /// The same length in sixths of a twip (exact).
    pub const fn to_sixths(self) -> SixthTwips {
        SixthTwips(self.0 * 6)
    }

    /// The same length in points.
    pub fn to_points(self) -> f64 {
        self.0 as f64 / Self::POINT.0 as f64
    }

    /// How many whole `step`s fit, rounded toward negative infinity.
    pub fn div_euclid(self, step: Twips) -> i64 {
        self.0.div_euclid(step.0)
    }

    /// `self · percent / 100`, rounded toward negative infinity.
    pub fn percent_floor(self, percent: i64) -> Twips {
        Twips((self.0 * percent).div_euclid(100))
    }
}

impl Add for Twips {
    type Output = Twips;
    fn add(self, o: Twips) -> Twips {
        Twips(self.0 + o.0)
    }
}

impl Sub for Twips {
    type Output = Twips;
    fn sub(self, o: Twips) -> Twips {
        Twips(self.0 - o.0)
    }
}

impl Neg for Twips {
    type Output = Twips;
    fn neg(self) -> Twips {
        Twips(-self.0)
    }
}

impl AddAssign for Twips {
    fn add_assign(&mut self, o: Twips) {
        self.0 += o.0;
    }
}

impl SubAssign for Twips {
    fn sub_assign(&mut self, o: Twips) {
        self.0 -= o.0;
    }
}

impl Mul<i64> for Twips {
    type Output = Twips;
    fn mul(self, n: i64) -> Twips {
        Twips(self.0 * n)
    }
}

impl Mul<Twips> for i64 {
    type Output = Twips;
    fn mul(self, t: Twips) -> Twips {
        Twips(self * t.0)
    }
}

/// Division by a count: a length (truncated toward zero).
impl Div<i64> for Twips {
    type Output = Twips;
    fn div(self, n: i64) -> Twips {
        Twips(self.0 / n)
    }
}

/// Division by a length: a ratio (truncated toward zero).
impl Div<Twips> for Twips {
    type Output = i64;
    fn div(self, o: Twips) -> i64 {
        self.0 / o.0
    }
}

impl Sum for Twips {
    fn sum<I: Iterator<Item = Twips>>(iter: I) -> Twips {
        Twips(iter.map(|t| t.0).sum())
    }
}

impl<'a> Sum<&'a Twips> for Twips {
    fn sum<I: Iterator<Item = &'a Twips>>(iter: I) -> Twips {
        Twips(iter.map(|t| t.0).sum())
    }
}

/// A length in sixths of a twip (1/120 point): the unit LibreOffice measures text in, so glyph
/// advances and line widths are compared in it before anything is rounded to twips.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct SixthTwips(pub i64);

impl SixthTwips {
    pub const ZERO: SixthTwips = SixthTwips(0);

    /// Twips, computed as `(sixths + 5) / 6` with truncating division: rounded up for lengths
    /// that are not negative (toward zero for negative ones).
    pub const fn to_twips_up(self) -> Twips {
        Twips((self.0 + 5) / 6)
    }
}

impl Add for SixthTwips {
    type Output = SixthTwips;
    fn add(self, o: SixthTwips) -> SixthTwips {
        SixthTwips(self.0 + o.0)
    }
}

impl Sub for SixthTwips {
    type Output = SixthTwips;
    fn sub(self, o: SixthTwips) -> SixthTwips {
        SixthTwips(self.0 - o.0)
    }
}

impl AddAssign for SixthTwips {
    fn add_assign(&mut self, o: SixthTwips) {
        self.0 += o.0;
    }
}

/// Division by a length: a ratio (truncated toward zero).
impl Div for SixthTwips {
    type Output = i64;
    fn div(self, o: SixthTwips) -> i64 {
        self.0 / o.0
    }
}

/// What is left over after whole multiples of a length (sign of the dividend).
impl Rem for SixthTwips {
    type Output = SixthTwips;
    fn rem(self, o: SixthTwips) -> SixthTwips {
        SixthTwips(self.0 % o.0)
    }
}

/// A font size in half-points (`w:sz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HalfPoints(pub u32);

impl HalfPoints {
    /// Word's size when nothing sets one: 10 pt.
    pub const DEFAULT: HalfPoints = HalfPoints(20);

    /// The raw number of half-points, as the font metrics take it.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// `self · percent / 100`, truncated.
    pub const fn percent(self, percent: u32) -> HalfPoints {
        HalfPoints(self.0 * percent / 100)
    }
}

/// A border width in eighths of a point (the `w:sz` of a border).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EighthPoints(pub i64);

impl EighthPoints {
    /// Twips, rounded half up.
    pub const fn to_twips(self) -> Twips {
        Twips((self.0 * 20 + 4) / 8)
    }
}

/// A length in English Metric Units (914 400 per inch, 635 per twip), as DrawingML writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Emu(pub i64);

impl Emu {
    pub const PER_TWIP: i64 = 635;

    /// Twips, truncated toward zero.
    pub const fn to_twips(self) -> Twips {
        Twips(self.0 / Self::PER_TWIP)
    }
}

/// The size of a sheet of paper, portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaperSize {
    pub width: Twips,
    pub height: Twips,
}

/// US Letter, 8.5 × 11 inches: the page of a section that gives no `w:pgSz`.
pub const LETTER: PaperSize = PaperSize {
    width: Twips(12240),
    height: Twips(15840),
};

/// ISO A4, 210 × 297 mm (rounded to whole twips, as Word writes it).
#[cfg_attr(not(test), allow(dead_code))]
pub const A4: PaperSize = PaperSize {
    width: Twips(11906),
    height: Twips(16838),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes_are_what_their_names_say() {
        let mm = |t: Twips| crate::pdf::mm(t.to_points());
        assert_eq!((mm(A4.width), mm(A4.height)), (210.0, 297.0));
        assert_eq!((mm(LETTER.width), mm(LETTER.height)), (215.9, 279.4));
        assert_eq!(LETTER.width, Twips::INCH * 17 / 2);
    }

    #[test]
    fn conversions_round_as_the_engine_always_did() {
        assert_eq!(Twips(7).to_sixths(), SixthTwips(42));
        assert_eq!(SixthTwips(37).to_twips_up(), Twips(7));
        assert_eq!(SixthTwips(36).to_twips_up(), Twips(6));
        assert_eq!(SixthTwips(-7).to_twips_up(), Twips(0));
        assert_eq!(Emu(914_400).to_twips(), Twips::INCH);
        assert_eq!(Emu(634).to_twips(), Twips::ZERO);
        assert_eq!(EighthPoints(4).to_twips(), Twips(10));
        assert_eq!(EighthPoints(3).to_twips(), Twips(8));
        assert_eq!(HalfPoints(24).percent(58), HalfPoints(13));
        assert_eq!(Twips(-5).percent_floor(10), Twips(-1));
        assert_eq!(Twips(-1).div_euclid(Twips::HALF_INCH), -1);
    }
}
