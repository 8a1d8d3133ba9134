//! `memcmp` and `bcmp` for wasm32, in place of `compiler_builtins`' (whose symbols are
//! weak there): the same byte loop, after one check that answers at once when both
//! sides are the same bytes.
//!
//! serde's derived readers match a field's key against each name the type knows, and
//! this crate's host readers hand over, as the key, the very `&'static str` of the
//! type's field list, which the compiler stores once with the match's literal: a
//! matching comparison is then one pointer comparison instead of a loop over the
//! name's bytes.

/// Compares `n` bytes at `a` and `b`: 0 when equal, else the difference of the first
/// bytes that differ.
///
/// # Safety
///
/// `a` and `b` must be valid for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    if a == b {
        return 0;
    }
    let mut i = 0;
    while i < n {
        // SAFETY: `i < n`, and the caller promises `n` readable bytes on both sides.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

/// Like [`memcmp`], but only zero or not-zero is meaningful.
///
/// # Safety
///
/// `a` and `b` must be valid for reads of `n` bytes.
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe { memcmp(a, b, n) }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Byte slices compare through `memcmp`, strings through `bcmp`.
    #[wasm_bindgen_test]
    fn orders_and_equates_as_the_bytes_do() {
        let key: &str = "hashedPassword";
        assert_eq!(key, "hashedPassword");
        assert!(key != "hashedPasswore" && key != "xashedPassword");
        let same: &[u8] = b"abcdef";
        assert_eq!(same.cmp(same), std::cmp::Ordering::Equal);
        assert_eq!(b"abc".as_slice().cmp(b"abd"), std::cmp::Ordering::Less);
        assert_eq!(b"abd".as_slice().cmp(b"abc"), std::cmp::Ordering::Greater);
        assert_eq!(
            b"\xffa".as_slice().cmp(b"\x01a"),
            std::cmp::Ordering::Greater
        );
        assert_eq!(b"ab".as_slice().cmp(b"abc"), std::cmp::Ordering::Less);
        assert_eq!(b"".as_slice().cmp(b""), std::cmp::Ordering::Equal);
        // SAFETY: both sides are readable for the lengths given.
        unsafe {
            assert!(super::memcmp(b"b".as_ptr(), b"a".as_ptr(), 1) > 0);
            assert!(super::memcmp(b"a".as_ptr(), b"b".as_ptr(), 1) < 0);
            assert_eq!(super::bcmp(same.as_ptr(), same.as_ptr(), 6), 0);
            assert_ne!(super::bcmp(b"xa".as_ptr(), b"xb".as_ptr(), 2), 0);
        }
    }
}
