//! Byte and text encodings of SRP numbers as Cognito's clients write them (docs/protocol.md 1).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::SrpError;

/// `pad(n)`: the bytes of Java's `BigInteger.toByteArray()` for a non-negative integer given
/// as big-endian bytes: minimal (leading zero bytes removed), then one `0x00` prepended when
/// the first byte has its top bit set, so the value still reads as positive. Zero is `[0x00]`.
///
/// Cognito hashes every integer in this form. Skipping either rule fails about one sign-in in
/// 256 with "Incorrect username or password" (docs/protocol.md 1, `vectors/pad_hex.json`).
pub fn pad(be_bytes: &[u8]) -> Vec<u8> {
    let minimal = strip_leading_zeros(be_bytes);
    let mut out = Vec::with_capacity(minimal.len() + 1);
    if minimal.first().is_none_or(|&b| b >= 0x80) {
        out.push(0);
    }
    out.extend_from_slice(minimal);
    out
}

/// The big-endian bytes without leading zero bytes (empty for zero).
pub(crate) fn strip_leading_zeros(be_bytes: &[u8]) -> &[u8] {
    let first = be_bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(be_bytes.len());
    &be_bytes[first..]
}

/// Lower-case hex of an integer's minimal big-endian bytes, without leading zeros, as
/// Cognito expects SRP_A ("0" for zero).
pub fn to_minimal_hex(be_bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let minimal = strip_leading_zeros(be_bytes);
    let mut out = String::with_capacity(minimal.len() * 2);
    for &b in minimal {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    match out.strip_prefix('0') {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ if out.is_empty() => "0".to_owned(),
        _ => out,
    }
}

/// Parses a server-sent hexadecimal integer (SALT, SRP_B) into its big-endian bytes with
/// leading zeros removed. Odd length and redundant leading zeros are accepted (docs/protocol.md 1:
/// parse as an integer); upper-case digits too. `max_chars` bounds the text, `max_bits` the
/// value.
pub(crate) fn parse_hex_integer(
    name: &'static str,
    text: &str,
    max_chars: usize,
    max_bits: usize,
) -> Result<Vec<u8>, SrpError> {
    if text.is_empty() {
        return Err(SrpError::EmptyParameter { name });
    }
    if text.len() > max_chars {
        return Err(SrpError::TooLong {
            name,
            len: text.len(),
            max: max_chars,
        });
    }
    let digits = text.as_bytes();
    let mut nibbles = Vec::with_capacity(digits.len() + 1);
    if digits.len() % 2 == 1 {
        nibbles.push(0);
    }
    for &d in digits {
        nibbles.push(hex_value(d).ok_or(SrpError::InvalidHex { name })?);
    }
    let bytes: Vec<u8> = nibbles
        .chunks_exact(2)
        .map(|p| (p[0] << 4) | p[1])
        .collect();
    let minimal = strip_leading_zeros(&bytes);
    let bits = bit_length(minimal);
    if bits > max_bits {
        return Err(SrpError::TooLong {
            name,
            len: bits,
            max: max_bits,
        });
    }
    Ok(minimal.to_vec())
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Number of significant bits of minimal big-endian bytes.
fn bit_length(minimal: &[u8]) -> usize {
    match minimal.first() {
        None => 0,
        Some(&top) => (minimal.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

/// Standard base64 with padding: what Cognito sends and what it expects back.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard base64 that tolerates missing padding (seen from proxies that re-encode).
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes SECRET_BLOCK: standard base64, or URL-safe base64 (docs/protocol.md 2.6), padded or not.
pub(crate) fn base64_decode_lenient(
    name: &'static str,
    text: &str,
    max_chars: usize,
) -> Result<Vec<u8>, SrpError> {
    if text.is_empty() {
        return Err(SrpError::EmptyParameter { name });
    }
    if text.len() > max_chars {
        return Err(SrpError::TooLong {
            name,
            len: text.len(),
            max: max_chars,
        });
    }
    STANDARD_LENIENT
        .decode(text)
        .or_else(|_| URL_SAFE.decode(text))
        .or_else(|_| URL_SAFE_NO_PAD.decode(text))
        .map_err(|_| SrpError::InvalidBase64 { name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_rules() {
        assert_eq!(pad(&[]), vec![0]);
        assert_eq!(pad(&[0, 0]), vec![0]);
        assert_eq!(pad(&[0x7f]), vec![0x7f]);
        assert_eq!(pad(&[0x80]), vec![0, 0x80]);
        assert_eq!(pad(&[0, 0, 0x80, 1]), vec![0, 0x80, 1]);
    }

    #[test]
    fn minimal_hex() {
        assert_eq!(to_minimal_hex(&[]), "0");
        assert_eq!(to_minimal_hex(&[0, 0x0a, 0xbc]), "abc");
        assert_eq!(to_minimal_hex(&[0x10]), "10");
        assert_eq!(to_minimal_hex(&[0x01]), "1");
    }

    #[test]
    fn hex_parse_normalises() {
        assert_eq!(
            parse_hex_integer("SALT", "36ef01c", 100, 64).unwrap(),
            vec![0x03, 0x6e, 0xf0, 0x1c]
        );
        assert_eq!(
            parse_hex_integer("SALT", "0000ABcd", 100, 64).unwrap(),
            vec![0xab, 0xcd]
        );
        assert_eq!(
            parse_hex_integer("SALT", "00", 100, 64).unwrap(),
            Vec::<u8>::new()
        );
        assert!(matches!(
            parse_hex_integer("SALT", "1ff", 100, 8),
            Err(SrpError::TooLong { len: 9, max: 8, .. })
        ));
    }
}
