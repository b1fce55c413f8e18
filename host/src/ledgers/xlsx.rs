//! Ledgers as Excel workbooks (`rust_xlsxwriter`): one sheet per ledger, a title row with the
//! market and the period, Chinese headers (frozen with the title), dates as real dates, counts
//! as numbers, and column widths that fit Chinese text (a CJK character counts as two).

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::{COMMON_HEADERS, ColumnType, Kind, Ledger, RowView};
use crate::error::ApiError;

/// The MIME type of a workbook.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// How wide `s` shows in a spreadsheet, in character cells: CJK and full-width characters
/// take two.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// The workbook of `ledgers` (one sheet each, in the order given).
pub fn workbook(ledgers: &[Ledger]) -> Result<Vec<u8>, ApiError> {
    build(ledgers).map_err(|e| ApiError::internal(format!("xlsx: {e}")))
}

fn build(ledgers: &[Ledger]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for l in ledgers {
        let sheet = book.add_worksheet();
        sheet.set_name(&l.name)?;
        write_sheet(sheet, l)?;
    }
    book.save_to_buffer()
}

fn write_sheet(sheet: &mut Worksheet, l: &Ledger) -> Result<(), XlsxError> {
    let kind = Kind::parse(&l.kind).unwrap_or(Kind::PolicyOutreach);
    let title_format = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let header_format = Format::new()
        .set_bold()
        .set_background_color("#E8EEF7")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let mut headers: Vec<&str> = vec![kind.date_header()];
    headers.extend(kind.columns().iter().map(|c| c.header));
    headers.extend(COMMON_HEADERS);
    let last_col = (headers.len() - 1) as u16;
    let title = format!("{} {}({} 至 {})", l.market, l.name, l.from, l.to);
    sheet.merge_range(0, 0, 0, last_col, &title, &title_format)?;
    sheet.set_row_height(0, 24)?;
    let mut widths: Vec<usize> = headers.iter().map(|h| display_width(h)).collect();
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, *h, &header_format)?;
    }
    let rows: Vec<&RowView> = l.rows().collect();
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 2) as u32;
        if let Some(day) = crate::clock::parse_date(&r.day) {
            sheet.write_date_with_format(row, 0, day, &date_format)?;
        }
        widths[0] = widths[0].max(10);
        for (j, c) in kind.columns().iter().enumerate() {
            let col = j + 1;
            match (c.ty, r.fields.get(c.key)) {
                (ColumnType::Count, Some(Value::Number(n))) => {
                    sheet.write_number(row, col as u16, n.as_f64().unwrap_or_default())?;
                    widths[col] = widths[col].max(n.to_string().len());
                }
                _ => {
                    let text = r.text(c.key);
                    widths[col] = widths[col].max(display_width(&text));
                    sheet.write_string(row, col as u16, &text)?;
                }
            }
        }
        let base = kind.columns().len() + 1;
        let common = [
            r.handler.clone(),
            r.office.clone(),
            super::local_time(&r.handled_at),
            r.source_zh().to_string(),
            r.source_ref.clone().unwrap_or_default(),
            r.note(),
        ];
        for (j, text) in common.iter().enumerate() {
            widths[base + j] = widths[base + j].max(display_width(text));
            sheet.write_string(row, (base + j) as u16, text)?;
        }
    }
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*w).clamp(6, 60) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    Ok(())
}

/// `Content-Disposition` for a download named `name` (UTF-8): an ASCII fallback and the real
/// name in RFC 5987 `filename*`.
pub fn content_disposition(name: &str, fallback: &str) -> String {
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("兰考县"), 6);
        assert_eq!(display_width("A座\u{FF0C}3号"), 8);
    }

    #[test]
    fn file_names_are_utf8_encoded() {
        let d = content_disposition("兰考县 台账.xlsx", "ledgers.xlsx");
        assert_eq!(
            d,
            "attachment; filename=\"ledgers.xlsx\"; filename*=UTF-8''%E5%85%B0%E8%80%83%E5%8E%BF%20%E5%8F%B0%E8%B4%A6.xlsx"
        );
    }
}
