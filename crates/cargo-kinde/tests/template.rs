//! `workflow-template/` is exactly what `cargo kinde new my-workflow --trigger
//! user:existing_password_provided` renders in this repository, and the rendered
//! workspace keeps the repository's npm pins and Kinde settings.
//!
//! After changing the templates, regenerate it with
//! `KINDE_UPDATE_TEMPLATE=1 cargo test -p cargo-kinde --test template`.

use std::path::{Path, PathBuf};

use cargo_kinde::template::{self, Names, SdkSource};
use kinde_workflow::Trigger;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

#[test]
fn workflow_template_is_the_rendering_of_cargo_kinde_new() {
    let root = repo().join("workflow-template");
    let sdk = SdkSource::Path(repo().join("crates/kinde-workflow"));
    let names = Names::new("my-workflow").unwrap();
    let files = template::repository_files(&names, Trigger::ExistingPasswordProvided, &sdk, &root);
    if std::env::var_os("KINDE_UPDATE_TEMPLATE").is_some() {
        std::fs::remove_dir_all(&root).unwrap();
        for (path, text) in &files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
    let mut expected: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    expected.sort();
    assert_eq!(
        files_under(&root),
        expected,
        "run with KINDE_UPDATE_TEMPLATE=1"
    );
    for (path, text) in &files {
        let kept = std::fs::read_to_string(root.join(path)).unwrap();
        assert!(
            &kept == text,
            "workflow-template/{} differs from the rendering; run with KINDE_UPDATE_TEMPLATE=1",
            path.display()
        );
    }
}

#[test]
fn the_template_pins_what_the_repository_pins() {
    let workspace = template::workspace_files();
    for file in ["package.json", "package-lock.json", "kinde.json"] {
        let rendered = &workspace
            .iter()
            .find(|(p, _)| p == Path::new(file))
            .unwrap()
            .1;
        let root = std::fs::read_to_string(repo().join(file)).unwrap();
        assert_eq!(rendered, &root, "{file} differs from the repository's");
    }
    let cargo = &workspace[0].1;
    let root = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    // The `[profile.kinde]` table itself; the repository adds per-package overrides
    // for the drip-feed's hashing crates, which a new workspace does not depend on
    // (cargo warns about overrides that match no package).
    let profile = |text: &str| {
        let table = &text[text.find("[profile.kinde]").unwrap()..];
        let end = table[1..].find("\n[").map_or(table.len(), |i| i + 1);
        table[..end]
            .lines()
            .filter(|line| !line.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    };
    assert_eq!(profile(cargo), profile(&root));
}

#[test]
fn the_template_workflow_crate_depends_on_this_sdk_by_path() {
    let manifest =
        std::fs::read_to_string(repo().join("workflow-template/crates/my-workflow/Cargo.toml"))
            .unwrap();
    assert!(
        manifest.contains(r#"kinde-workflow = { path = "../../../crates/kinde-workflow" }"#),
        "{manifest}"
    );
}

fn files_under(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path
                    .file_name()
                    .is_some_and(|n| n == "target" || n == "node_modules")
                {
                    continue;
                }
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files.sort();
    files
}

#[test]
fn each_trigger_page_shows_the_generated_example_and_the_offered_bindings() {
    let names = Names::new("my-workflow").unwrap();
    let sdk = SdkSource::Git("https://example.com/sdk".to_owned());
    for trigger in Trigger::ALL {
        let page = repo().join(format!("docs/triggers/{}.md", trigger.file_stem()));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let files = template::crate_files(&names, *trigger, &sdk, Path::new("/w/crates/x"));
        let files = template::format_rust(files).unwrap();
        let lib = &files
            .iter()
            .find(|(p, _)| p == Path::new("src/lib.rs"))
            .unwrap()
            .1;
        assert!(
            text.contains(&format!("```rust\n{lib}```")),
            "{} does not show the example `cargo kinde new` writes",
            page.display()
        );
        let offered: Vec<String> = trigger
            .allowed_bindings()
            .iter()
            .map(|b| format!("`{b}`"))
            .collect();
        let line = format!("**Bindings it may use:** {}\n", offered.join(", "));
        assert!(text.contains(&line), "{}: expected {line}", page.display());
        assert!(
            text.starts_with(&format!("# `{trigger}`\n")),
            "{}",
            page.display()
        );
    }
}
