//! Names the field of a JSON document that serde_json rejected.
//!
//! Events and answers are read straight into their types; serde_json's error then says *what* is
//! wrong and at which line and column. This module turns that position into the path
//! of the value it falls on (`context.auth.providedEmail`) by scanning the JSON text,
//! which costs nothing unless a document is bad. (Tracking the path while decoding,
//! as `serde_path_to_error` does, would wrap every visitor of every event type: a
//! tenth of a workflow's code once translated to JavaScript, and work on every run.)
//!
//! serde_json reports an error inside a value it had to buffer first (an internally
//! tagged or untagged enum, a `#[serde(flatten)]` field) at the end of the document,
//! so such an error is named at `.`; the built-in events have none.

/// The byte offset of serde_json's `line` (1-based) and `column` in `json`. serde_json's
/// column counts the bytes already read on that line, so it is also the offset of the
/// error within the line.
pub(crate) fn offset_of(json: &str, line: usize, column: usize) -> usize {
    let line_start = json
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    (line_start + column).min(json.len())
}

/// The path of the value at `offset`: an object or array that opens there (serde_json
/// stops in front of a container of the wrong type), else the last value that ends at
/// or before it (a scalar, or a container whose closing bracket is there: where a
/// missing field is reported). Keys are joined with `.`, array indexes written `[i]`;
/// the whole document is `.`.
pub(crate) fn path_at(json: &str, offset: usize) -> String {
    let bytes = json.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut last = None;
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object {
                    key: None,
                    expecting_key: true,
                });
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                last = Some(render(&stack));
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Array { index }) => *index += 1,
                    Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                    None => {}
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(bytes, i);
                let text = json.get(i + 1..end.saturating_sub(1)).unwrap_or_default();
                if let Some(Frame::Object {
                    key,
                    expecting_key: true,
                }) = stack.last_mut()
                {
                    *key = Some(text.to_owned());
                }
                // A key is where serde_json reports a duplicate or unknown field.
                last = Some(render(&stack));
                i = end;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                while i < bytes.len() && !b",:]} \t\n\r".contains(&bytes[i]) {
                    i += 1;
                }
                last = Some(render(&stack));
            }
        }
    }
    let opens_container = matches!(bytes.get(i), Some(b'{' | b'['));
    let in_value_position = !matches!(
        stack.last(),
        Some(Frame::Object {
            expecting_key: true,
            ..
        })
    );
    if opens_container && in_value_position {
        return render(&stack);
    }
    last.unwrap_or_else(|| ".".to_owned())
}

/// Joins `path` and `field` the way [`path_at`] writes paths.
pub(crate) fn join(path: &str, field: &str) -> String {
    if path == "." {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// A container being scanned.
enum Frame {
    Object {
        key: Option<String>,
        expecting_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The index just past the string that starts with the quote at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path serde_json's error position falls on, as `json::from_str` computes it.
    fn located<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> (String, String) {
        let err = serde_json::from_str::<T>(json).unwrap_err();
        let offset = offset_of(json, err.line(), err.column());
        (path_at(json, offset), err.to_string())
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
        #[serde(default)]
        list: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
        #[serde(default)]
        count: Option<u16>,
    }

    #[test]
    fn a_wrong_value_is_named_by_its_key() {
        let (path, _) = located::<Outer>(r#"{"inner": {"name": 5}}"#);
        assert_eq!(path, "inner.name");
        let (path, _) = located::<Outer>(r#"{"inner":{"name":"a","count":70000}}"#);
        assert_eq!(path, "inner.count");
        let (path, _) = located::<Outer>(
            r#"{"inner":{"name":"a\"}"},"list":[{"name":"b"},{"name":[1,{"x":2}]}]}"#,
        );
        assert_eq!(path, "list[1].name");
    }

    #[test]
    fn a_duplicate_or_unknown_field_is_named_by_its_key() {
        let (path, message) = located::<Outer>(r#"{"inner":{"name":"a","count":1,"name":"b"}}"#);
        assert_eq!(path, "inner.name");
        assert!(message.starts_with("duplicate field `name`"), "{message}");

        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            a: u8,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Holder {
            strict: Strict,
        }
        let (path, message) = located::<Holder>(r#"{"strict":{"a":1,"b":2}}"#);
        assert_eq!(path, "strict.b");
        assert!(message.starts_with("unknown field `b`"), "{message}");
    }

    #[test]
    fn a_missing_field_falls_on_the_object_that_lacks_it() {
        let (path, message) = located::<Outer>("{\n  \"inner\": {\n    \"count\": 1\n  }\n}");
        assert_eq!(path, "inner");
        assert!(message.starts_with("missing field `name`"), "{message}");
        let (path, _) = located::<Outer>("{}");
        assert_eq!(path, ".");
        let (path, _) = located::<Outer>(r#""not an object""#);
        assert_eq!(path, ".");
        let (path, _) = located::<Outer>("[1]");
        assert_eq!(path, "[0]");
        let (path, _) = located::<Outer>(r#"{"inner":{"name":"a"},"list":[{"name":"b"},{}]}"#);
        assert_eq!(path, "list[1]");
    }

    #[test]
    fn paths_join_with_fields() {
        assert_eq!(join(".", "a"), "a");
        assert_eq!(join("a.b", "c"), "a.b.c");
        assert_eq!(offset_of("ab\ncd", 2, 1), 4);
        assert_eq!(offset_of("ab", 9, 9), 2);
    }
}
