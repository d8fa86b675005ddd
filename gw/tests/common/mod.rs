//! What the `gw` tests share.

use std::path::{Path, PathBuf};

/// Every `.gw` file of the workspace (outside `target/` and hidden
/// directories), sorted, as absolute paths.
pub fn workspace_gw_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("workspace root");
    let mut found = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() && !name.starts_with('.') && name != "target" {
                dirs.push(path);
            } else if name.ends_with(".gw") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
