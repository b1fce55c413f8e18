//! QR codes for URLs (job pages, market check-in links), as PNG and as SVG.
//!
//! Why drawn here: the `qrcode` crate is used with its default features off, so it does not pull
//! the heavy `image` crate; we take its module matrix and draw it ourselves — the PNG with the
//! small `png` crate, the SVG as a single `<path>`. Both carry a 4-module light quiet zone, the
//! margin ISO/IEC 18004 requires for a reader to find the code. Error correction is level M
//! (about 15 % of the code may be damaged), the usual choice for printed links.

use std::fmt;

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code, in modules (ISO/IEC 18004).
const QUIET_ZONE: usize = 4;
/// Pixels per module allowed for PNG output.
const SCALE_RANGE: std::ops::RangeInclusive<u32> = 1..=32;
const DARK: u8 = 0;
const LIGHT: u8 = 255;

/// Why it failed (text too long for a QR code).
#[derive(Debug)]
pub struct QrError(pub String);

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot make QR code: {}", self.0)
    }
}

impl std::error::Error for QrError {}

/// An SVG document (black modules on white, with a 4-module quiet zone), scalable.
pub fn svg(text: &str) -> Result<String, QrError> {
    let matrix = Matrix::encode(text)?;
    let side = matrix.side_with_quiet_zone();
    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" "#,
            r#"shape-rendering="crispEdges">"#,
            r##"<rect width="{side}" height="{side}" fill="#fff"/>"##,
            r##"<path fill="#000" d="{d}"/></svg>"##,
        ),
        side = side,
        d = path_data(&matrix),
    ))
}

/// A PNG image (8-bit grayscale, `scale` pixels per module, 4-module quiet zone).
pub fn png(text: &str, scale: u32) -> Result<Vec<u8>, QrError> {
    let matrix = Matrix::encode(text)?;
    let scale = scale.clamp(*SCALE_RANGE.start(), *SCALE_RANGE.end()) as usize;
    let side = matrix.side_with_quiet_zone() * scale;
    encode_png(side as u32, &pixels(&matrix, scale))
}

/// The dark/light modules of one QR code, without quiet zone.
struct Matrix {
    width: usize,
    colors: Vec<Color>,
}

impl Matrix {
    fn encode(text: &str) -> Result<Self, QrError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| QrError(e.to_string()))?;
        Ok(Matrix { width: code.width(), colors: code.into_colors() })
    }

    fn side_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Whether the module at column `x`, row `y` (quiet zone included) is dark.
    fn is_dark(&self, x: usize, y: usize) -> bool {
        let inside = QUIET_ZONE..QUIET_ZONE + self.width;
        inside.contains(&x)
            && inside.contains(&y)
            && self.colors[(y - QUIET_ZONE) * self.width + (x - QUIET_ZONE)] == Color::Dark
    }
}

/// Path data in module units: one closed rectangle per horizontal run of dark modules.
fn path_data(matrix: &Matrix) -> String {
    let mut d = String::new();
    for y in 0..matrix.width {
        let mut x = 0;
        while x < matrix.width {
            let run = dark_run(matrix, x, y);
            if run > 0 {
                let (left, top) = (x + QUIET_ZONE, y + QUIET_ZONE);
                d.push_str(&format!("M{left} {top}h{run}v1h-{run}z"));
                x += run;
            } else {
                x += 1;
            }
        }
    }
    d
}

/// Length of the run of dark modules starting at (`x`, `y`), in matrix coordinates.
fn dark_run(matrix: &Matrix, x: usize, y: usize) -> usize {
    let row = &matrix.colors[y * matrix.width..(y + 1) * matrix.width];
    row[x..].iter().take_while(|&&c| c == Color::Dark).count()
}

/// Grayscale pixels, row by row, `scale` pixels per module.
fn pixels(matrix: &Matrix, scale: usize) -> Vec<u8> {
    let modules = matrix.side_with_quiet_zone();
    let side = modules * scale;
    let mut out = Vec::with_capacity(side * side);
    for y in 0..modules {
        let row: Vec<u8> =
            (0..side).map(|px| if matrix.is_dark(px / scale, y) { DARK } else { LIGHT }).collect();
        for _ in 0..scale {
            out.extend_from_slice(&row);
        }
    }
    out
}

fn encode_png(side: u32, pixels: &[u8]) -> Result<Vec<u8>, QrError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let to_error = |e: png::EncodingError| QrError(format!("PNG encoding: {e}"));
    let mut writer = encoder.write_header().map_err(to_error)?;
    writer.write_image_data(pixels).map_err(to_error)?;
    writer.finish().map_err(to_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASCII_URL: &str =
        "http://127.0.0.1:8080/api/v1/jobs/0193f0a2-7b1c-7d3e-8f00-123456789abc";
    /// `/markets/北京朝阳/checkin?name=张三`, percent-encoded as a browser sends it.
    const CHINESE_URL: &str = "http://127.0.0.1:8080/markets/%E5%8C%97%E4%BA%AC%E6%9C%9D%E9%98%B3\
                               /checkin?name=%E5%BC%A0%E4%B8%89";

    /// Width, height and grey pixels of a PNG.
    fn read_png(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
        let info = reader.next_frame(&mut buf).expect("PNG frame");
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        (info.width as usize, info.height as usize, buf)
    }

    /// Text read back from a PNG by an independent QR decoder.
    fn decode_png(bytes: &[u8]) -> String {
        let (width, height, grey) = read_png(bytes);
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "expected exactly one QR code");
        grids[0].decode().expect("decodable QR code").1
    }

    fn modules(text: &str) -> usize {
        QrCode::with_error_correction_level(text, EcLevel::M).unwrap().width()
    }

    #[test]
    fn png_round_trips_ascii_url() {
        assert_eq!(decode_png(&png(ASCII_URL, 4).unwrap()), ASCII_URL);
    }

    #[test]
    fn png_round_trips_percent_encoded_chinese_url() {
        assert_eq!(decode_png(&png(CHINESE_URL, 4).unwrap()), CHINESE_URL);
    }

    #[test]
    fn png_round_trips_raw_utf8_text() {
        let text = "http://127.0.0.1:8080/markets/北京朝阳/checkin";
        assert_eq!(decode_png(&png(text, 3).unwrap()), text);
    }

    #[test]
    fn png_dimensions_are_modules_plus_quiet_zone_times_scale() {
        let side = modules(ASCII_URL) + 8;
        for scale in [1, 5, 8] {
            let (w, h, _) = read_png(&png(ASCII_URL, scale).unwrap());
            assert_eq!((w, h), (side * scale as usize, side * scale as usize), "scale {scale}");
        }
    }

    #[test]
    fn png_scale_is_clamped() {
        let side = modules(ASCII_URL) + 8;
        assert_eq!(read_png(&png(ASCII_URL, 0).unwrap()).0, side);
        assert_eq!(read_png(&png(ASCII_URL, 1000).unwrap()).0, side * 32);
    }

    #[test]
    fn png_quiet_zone_is_light() {
        let scale = 2;
        let (w, _, grey) = read_png(&png(ASCII_URL, scale).unwrap());
        let margin = QUIET_ZONE * scale as usize;
        assert!(grey[..margin * w].iter().all(|&p| p == LIGHT), "top rows");
        assert!((0..w).all(|y| grey[y * w..y * w + margin].iter().all(|&p| p == LIGHT)), "left");
        assert_eq!(grey[margin * w + margin], DARK, "finder pattern corner");
    }

    #[test]
    fn svg_has_viewbox_of_modules_plus_quiet_zone_and_a_path() {
        let doc = svg(ASCII_URL).unwrap();
        let side = modules(ASCII_URL) + 8;
        assert!(doc.starts_with("<svg"), "{doc}");
        assert!(doc.contains(&format!(r#"viewBox="0 0 {side} {side}""#)), "{doc}");
        assert!(doc.contains("<path"), "{doc}");
        assert!(doc.ends_with("</svg>"));
    }

    #[test]
    fn too_long_text_is_an_error() {
        let text = "a".repeat(5000);
        assert!(matches!(svg(&text), Err(QrError(m)) if !m.is_empty()));
        assert!(png(&text, 8).is_err());
    }
}
