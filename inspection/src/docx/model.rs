//! The document model the collector builds and the layout engine, the excerpt and the assessors'
//! HTML read: sections of paragraphs and tables with every property resolved to a concrete value.

use super::units::{HalfPoints, SixthTwips, Twips};
use crate::fonts::{self, Family};

/// The measured font of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunFont {
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
    pub size: HalfPoints,
    /// Pair kerning applies (`w:kern`, which LibreOffice writes in every document it saves;
    /// Word's own documents leave it off).
    pub kern: bool,
}

impl RunFont {
    pub fn metrics(&self) -> &'static fonts::FaceMetrics {
        fonts::face(self.family, self.bold, self.italic)
    }

    /// Height of one single-spaced line.
    pub fn height(&self) -> Twips {
        Twips(self.metrics().line_height(self.size.get()))
    }

    /// Width of `text`: with ligatures, or with pair kerning when the run has it.
    pub fn text_width(&self, text: &str) -> SixthTwips {
        if self.kern {
            SixthTwips(self.metrics().text_px_kerned(text, self.size.get()))
        } else {
            SixthTwips(self.metrics().text_px(text, self.size.get()))
        }
    }

    /// Width of `text` as a note mark: a superscript at 58 % of this size, the font height
    /// rounded down to a twip as LibreOffice does.
    pub fn mark_width(&self, text: &str) -> SixthTwips {
        let twips = self.size.get() as i64 * 10;
        let mark_twips = twips * 58 / 100;
        SixthTwips(self.metrics().text_px(text, self.size.get()) * mark_twips / twips.max(1))
    }

    /// Width of one space.
    pub fn space_width(&self) -> SixthTwips {
        let metrics = self.metrics();
        SixthTwips(metrics.px(metrics.advance(' '), self.size.get()))
    }
}

#[derive(Debug, Clone)]
pub enum Item {
    Text(String, RunFont),
    Tab(RunFont),
    LineBreak(RunFont),
    /// A footnote's reference mark: its number (as LibreOffice counts them, in order of
    /// reference), shown as a superscript at 58 % of the run's size that never makes its line
    /// taller, and the note (an index into the collector's notes).
    NoteRef {
        note: usize,
        mark: String,
        font: RunFont,
    },
    /// An inline picture: its size and, when it is one, the package part holding its bytes.
    Image {
        width: Twips,
        height: Twips,
        part: Option<String>,
    },
}

/// Line spacing of a paragraph (`w:spacing/@w:line` with its `@w:lineRule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineSpacing {
    /// A multiple of the line height, in 240ths of a line (240 = single).
    Auto { in_240ths: i64 },
    /// Exactly this pitch, whatever the fonts.
    Exact(Twips),
    /// The line height, but no less than this.
    AtLeast(Twips),
}

/// How a custom tab stop places the text that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabAlign {
    Left,
    Center,
    /// Right and decimal stops: the text ends at the stop.
    Right,
}

/// A custom tab stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabStop {
    pub position: Twips,
    pub align: TabAlign,
}

/// Concrete paragraph properties after resolution.
#[derive(Debug, Clone)]
pub struct ParaProps {
    /// Custom tab stops (`w:tabs`), by position from the margin, in order.
    pub tabs: Vec<TabStop>,
    pub space_before: Twips,
    pub space_after: Twips,
    pub spacing: LineSpacing,
    pub indent_left: Twips,
    pub indent_right: Twips,
    /// First-line indent: positive = first line, negative = hanging.
    pub indent_first: Twips,
    pub contextual: bool,
    pub keep_next: bool,
    pub keep_lines: bool,
    pub page_break_before: bool,
    pub widow_control: bool,
    /// The section's line grid applies to the paragraph's lines.
    pub snap_to_grid: bool,
    /// Height of the paragraph's top and bottom borders, the distance from the text included.
    pub border_top: Twips,
    pub border_bottom: Twips,
    /// The paragraph style id (empty without one).
    pub style: String,
}

#[derive(Debug, Clone)]
pub struct Para {
    pub props: ParaProps,
    pub items: Vec<Item>,
    /// The font of the paragraph mark.
    pub mark: RunFont,
    /// List marker text and its font.
    pub marker: Option<(String, RunFont)>,
    /// A hard page break comes before this paragraph (split at `w:br w:type="page"`).
    pub break_before: bool,
}

#[derive(Debug, Clone)]
pub struct Cell {
    /// Grid columns the cell spans.
    pub span: usize,
    /// The cell's own top and bottom borders (`w:tcBorders`), as LibreOffice writes every
    /// table: they add to the table's rules.
    pub border_top: Twips,
    pub border_bottom: Twips,
    pub blocks: Vec<Block>,
    /// Vertical text (`w:textDirection` tbRl, btLr…): its lines run down the cell.
    pub vertical: bool,
}

/// A row height set by `w:trHeight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowHeight {
    /// `hRule="exact"`: the row is this tall and never split.
    Exact(Twips),
    /// The row is at least this tall.
    AtLeast(Twips),
}

#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// `w:tblHeader`: a header row, repeated at the top of every page the table continues on
    /// (only the rows at the start of a table).
    pub header: bool,
    pub cant_split: bool,
    pub height: Option<RowHeight>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Width of each grid column.
    pub grid: Vec<Twips>,
    /// `w:tblW` of type `pct`, in fiftieths of a percent of the text width: the grid is scaled
    /// to it (pandoc writes 5000 with a grid narrower than the page).
    pub width_pct: Option<i64>,
    pub rows: Vec<Row>,
    pub border_top: Twips,
    pub border_inside: Twips,
    pub border_bottom: Twips,
    pub cell_margin_left: Twips,
    /// Space above and below the content of every cell (`w:tblCellMar` top and bottom; none
    /// by default, 55 twips in every table LibreOffice writes).
    pub cell_margin_top: Twips,
    pub cell_margin_bottom: Twips,
    pub cell_margin_right: Twips,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
    /// End of a section; the blocks before it (since the previous one) belong to it.
    SectionEnd(Section),
    /// A hard break that applies to what follows (from a break at the end of a paragraph).
    PageBreak,
}

/// Page setup of a section (`w:sectPr`).
#[derive(Debug, Clone)]
pub struct Section {
    pub page_width: Twips,
    pub page_height: Twips,
    /// Page margins; a negative top or bottom margin is one the header or footer may not push.
    pub margin_top: Twips,
    pub margin_bottom: Twips,
    pub margin_left: Twips,
    pub margin_right: Twips,
    /// Distance from the page edge to the header and to the footer.
    pub header_distance: Twips,
    pub footer_distance: Twips,
    pub columns: i64,
    pub column_gap: Twips,
    /// Vertical text (`w:textDirection` tbRl, btLr…): lines run down the page, and follow
    /// each other across it.
    pub vertical: bool,
    /// Starts on the same page as the previous section (`w:type="continuous"`).
    pub continuous: bool,
    /// Laid-out height of the default header and footer (zero without one).
    pub header_height: Twips,
    pub footer_height: Twips,
    /// With `w:titlePg`, the heights of the first page's own header and footer (zero when the
    /// section names none): the first page of the section uses them.
    pub first_page_header_footer: Option<(Twips, Twips)>,
    /// The pitch of the section's line grid (`w:docGrid` of type `lines` or `linesAndChars`/
    /// `snapToChars`): body lines snap to it. `None` without a grid, or of type `default`.
    pub line_grid: Option<Twips>,
}

/// A section and the blocks laid out with its page setup.
#[derive(Debug, Clone)]
pub struct SectionBlocks {
    pub section: Section,
    pub blocks: Vec<Block>,
}
