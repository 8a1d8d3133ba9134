//! The parts of SigV4's canonical request: URI, query string and headers.

/// Appends `bytes` percent-encoded: everything but RFC 3986 unreserved characters
/// (and `/` when `keep_slash`) becomes `%XX` with upper-case hex.
pub(crate) fn percent_encode(out: &mut String, bytes: &[u8], keep_slash: bool) {
    for &byte in bytes {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if unreserved || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(crate::HEX_UPPER[usize::from(byte >> 4)]));
            out.push(char::from(crate::HEX_UPPER[usize::from(byte & 15)]));
        }
    }
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| {
                Some((
                    hex_value(*bytes.get(i + 1)?)?,
                    hex_value(*bytes.get(i + 2)?)?,
                ))
            })
            .flatten();
        match escaped {
            Some((high, low)) => {
                out.push(high << 4 | low);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|v| v as u8)
}

/// The canonical URI: the path as sent, each byte but `/` and unreserved characters
/// percent-encoded (so an already-encoded `%20` becomes `%2520`, as SigV4 wants for
/// every service but S3). With `normalize`, `.` and `..` segments are resolved and
/// empty segments dropped first.
pub(crate) fn uri(path: &str, normalize: bool) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    if !normalize {
        if path.is_empty() {
            out.push('/');
        }
        percent_encode(&mut out, path.as_bytes(), true);
        return out;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    for segment in &segments {
        out.push('/');
        percent_encode(&mut out, segment.as_bytes(), false);
    }
    let trailing_slash = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if segments.is_empty() || trailing_slash {
        out.push('/');
    }
    out
}

/// The canonical query string: each `name=value` pair decoded, re-encoded strictly,
/// and sorted by name then value.
pub(crate) fn query(raw: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut encoded_name = String::new();
            percent_encode(&mut encoded_name, &percent_decode(name), false);
            let mut encoded_value = String::new();
            percent_encode(&mut encoded_value, &percent_decode(value), false);
            (encoded_name, encoded_value)
        })
        .collect();
    // Unstable is exact here (equal pairs are identical) and shares one sort with
    // `headers` in the wasm.
    pairs.sort_unstable();
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Canonical headers (`name:value\n` each) and the signed-header list (`a;b;c`).
///
/// Names are lower-cased; values are trimmed with inner runs of whitespace collapsed
/// to one space; repeated headers are joined with `,` in the order given.
pub(crate) fn headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (String, String) {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.trim().to_ascii_lowercase();
        let value = collapse_whitespace(value);
        match merged.iter_mut().find(|(seen, _)| *seen == name) {
            Some((_, values)) => {
                values.push(',');
                values.push_str(&value);
            }
            None => merged.push((name, value)),
        }
    }
    // Names are unique after merging, so sorting the pairs sorts by name.
    merged.sort_unstable();
    let mut canonical = String::new();
    let mut signed = String::new();
    for (i, (name, value)) in merged.iter().enumerate() {
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value);
        canonical.push('\n');
        if i > 0 {
            signed.push(';');
        }
        signed.push_str(name);
    }
    (canonical, signed)
}

fn collapse_whitespace(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_paths_resolve_dots_and_empty_segments() {
        for (path, expected) in [
            ("", "/"),
            ("/", "/"),
            ("//a//b/", "/a/b/"),
            ("/a/./b/../c", "/a/c"),
            ("/a/b/..", "/a/"),
            ("/../..", "/"),
            ("/a b/%2F", "/a%20b/%252F"),
        ] {
            assert_eq!(uri(path, true), expected, "{path}");
        }
        assert_eq!(uri("/a/../b//", false), "/a/../b//");
    }

    #[test]
    fn query_pairs_are_reencoded_and_sorted() {
        assert_eq!(
            query("b=2&a=%7e&a=1&c&%zz=x+y"),
            "%25zz=x%2By&a=1&a=~&b=2&c="
        );
        assert_eq!(query(""), "");
    }

    #[test]
    fn headers_merge_repeats_and_collapse_whitespace() {
        let (canonical, signed) =
            headers([("X-B", " two\t  words "), ("Host", "h"), ("x-b", "again")]);
        assert_eq!(canonical, "host:h\nx-b:two words,again\n");
        assert_eq!(signed, "host;x-b");
    }
}
