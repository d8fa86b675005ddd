//! What a running gateway was built from: its version, the `.gw` file and
//! that file's SHA-256, and Pingora's version. Served as `GET /build` on the
//! admin listener and as the `gw_build_info` gauge (always 1, the facts in
//! its labels, as the Prometheus convention for build information has it).

use prometheus::{IntGaugeVec, Opts};

use crate::StartupError;

/// This crate's version: the gateway's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Pingora release the runtime is built on (a unit test holds it to
/// the workspace's `Cargo.lock`).
pub const PINGORA_VERSION: &str = "0.9.1";

/// The facts of one build.
#[derive(Debug, Clone, Copy)]
pub struct Build {
    /// The `.gw` file, as the build named it.
    pub file: &'static str,
    /// SHA-256 of its text, hex.
    pub sha256: &'static str,
}

impl Build {
    /// `GET /build`'s body.
    pub fn json(&self) -> String {
        format!(
            "{{\"version\":{},\"gw_file\":{},\"gw_sha256\":{},\"pingora\":{}}}\n",
            crate::admin::json_string(VERSION),
            crate::admin::json_string(self.file),
            crate::admin::json_string(self.sha256),
            crate::admin::json_string(PINGORA_VERSION),
        )
    }

    /// Registers `gw_build_info{version, gw_sha256, pingora} 1`.
    pub fn register(&self) -> Result<(), StartupError> {
        let error = |error: prometheus::Error| StartupError::new(format!("cannot register gw_build_info: {error}"));
        let info = IntGaugeVec::new(
            Opts::new(
                "gw_build_info",
                "Always 1; the gateway's version, its .gw file's SHA-256 and Pingora's version.",
            ),
            &["version", "gw_sha256", "pingora"],
        )
        .map_err(error)?;
        prometheus::default_registry().register(Box::new(info.clone())).map_err(error)?;
        info.with_label_values(&[VERSION, self.sha256, PINGORA_VERSION]).set(1);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pingora_version_is_the_one_built_against() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).expect("Cargo.lock");
        let locked = lock
            .split("[[package]]")
            .find(|package| package.contains("\nname = \"pingora\"\n"))
            .and_then(|package| package.lines().find_map(|line| line.strip_prefix("version = \"")))
            .map(|version| version.trim_end_matches('"'));
        assert_eq!(locked, Some(PINGORA_VERSION));
    }

    #[test]
    fn the_json_names_every_fact() {
        let build = Build { file: "routes/gateway.gw", sha256: "ab12" };
        assert_eq!(
            build.json(),
            format!(
                "{{\"version\":\"{VERSION}\",\"gw_file\":\"routes/gateway.gw\",\"gw_sha256\":\"ab12\",\"pingora\":\"0.9.1\"}}\n"
            )
        );
    }
}
