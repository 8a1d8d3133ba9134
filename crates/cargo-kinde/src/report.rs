//! The size report: what each stage weighs, and what Kinde's bundle will weigh.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::Result;
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::build::Built;
use crate::shim::WORKFLOW_FILE;
use crate::toolchain::Toolchain;

/// Sizes in bytes of one workflow's artifacts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sizes {
    /// The `.wasm` fed to wasm2js (lowered for it; wasm2js -Oz optimises it).
    pub wasm: u64,
    /// The generated files together.
    pub js: u64,
    /// Kinde's bundle without the sourcemap: raw and gzip.
    pub bundle: (u64, u64),
    /// Kinde's bundle as Kinde builds it, with its inline sourcemap: raw and gzip.
    pub bundle_with_map: (u64, u64),
}

/// esbuild options equal to those of Kinde's Go bundler (the Go API's default
/// platform is `browser`).
pub const KINDE_ESBUILD_FLAGS: &[&str] = &[
    "--bundle",
    "--format=cjs",
    "--target=esnext",
    "--platform=browser",
    "--minify-whitespace",
    "--minify-syntax",
    "--tree-shaking=true",
    "--log-level=warning",
];

/// Bundles the workflow as Kinde would, with and without the inline sourcemap (the
/// two esbuild runs side by side).
pub fn measure_bundle(tools: &Toolchain, dir: &Path, work: &Path, sizes: &mut Sizes) -> Result<()> {
    let measure = |with_map: bool| -> Result<(u64, u64)> {
        let out = work.join(if with_map {
            "kinde-bundle.map.js"
        } else {
            "kinde-bundle.js"
        });
        let mut args: Vec<&OsStr> = vec![OsStr::new(WORKFLOW_FILE)];
        args.extend(KINDE_ESBUILD_FLAGS.iter().map(OsStr::new));
        if with_map {
            args.extend([
                OsStr::new("--sourcemap=inline"),
                OsStr::new("--sources-content=true"),
            ]);
        }
        let outfile = format!("--outfile={}", out.display());
        args.push(OsStr::new(&outfile));
        tools.esbuild(dir, &args)?;
        let bytes = std::fs::read(&out)?;
        Ok((bytes.len() as u64, gzip_len(&bytes)?))
    };
    let (bundle, bundle_with_map) = std::thread::scope(|scope| {
        let with_map = scope.spawn(|| measure(true));
        (measure(false), with_map.join())
    });
    sizes.bundle = bundle?;
    sizes.bundle_with_map =
        bundle_with_map.map_err(|_| anyhow::anyhow!("the bundling thread panicked"))??;
    Ok(())
}

/// Length of `bytes` gzipped at the default level.
pub fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

/// The report as a table.
pub fn table(built: &[Built]) -> String {
    let mut out = String::from(
        "\nworkflow                wasm      js   bundle (gzip)   with sourcemap (gzip)\n",
    );
    for one in built {
        let s = one.sizes;
        let _ = writeln!(
            out,
            "{:<20} {:>7} {:>7} {:>8} ({:>6}) {:>10} ({:>6})",
            one.id,
            kb(s.wasm),
            kb(s.js),
            kb(s.bundle.0),
            kb(s.bundle.1),
            kb(s.bundle_with_map.0),
            kb(s.bundle_with_map.1),
        );
    }
    out
}

fn kb(bytes: u64) -> String {
    format!("{:.1}K", bytes as f64 / 1024.0)
}
