//! The current time, for SigV4's `X-Amz-Date`. Kinde's runtime has no clock binding;
//! JavaScript's `Date` is there (goja implements it), so wasm32 asks it.

/// Seconds since 1970-01-01T00:00:00Z.
#[cfg(target_arch = "wasm32")]
pub fn now_unix_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Seconds since 1970-01-01T00:00:00Z (0 if the system clock is before 1970).
#[cfg(not(target_arch = "wasm32"))]
pub fn now_unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
