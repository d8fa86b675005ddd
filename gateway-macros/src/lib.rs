//! `gateway!("gateway.gw")`: the `.gw` file compiled into a `Gateway` type
//! at build time. Every error of the file is reported, rustc-style,
//! pointing into the file.
//!
//! The path is relative to the calling crate's directory (`CARGO_MANIFEST_DIR`);
//! if no file is there, to the directory of the source file that calls the
//! macro, as with `include_str!`.
//!
//! ```text
//! gateway_macros::gateway!("gateway.gw");
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     Ok(Gateway::serve()?)
//! }
//! ```
//!
//! The calling crate also depends on `gateway-runtime`, which the generated
//! code uses. All the work is done by `gateway_dsl`.

use std::path::PathBuf;

use proc_macro::TokenStream;

#[proc_macro]
pub fn gateway(input: TokenStream) -> TokenStream {
    let path = match syn::parse::<syn::LitStr>(input) {
        Ok(path) => path,
        Err(error) => {
            let message = "`gateway!` takes the path of a .gw file as a string, e.g. `gateway!(\"gateway.gw\")`";
            return syn::Error::new(error.span(), message).to_compile_error().into();
        }
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let caller_dir = proc_macro::Span::call_site().local_file().and_then(|file| file.parent().map(|dir| cwd.join(dir)));
    let search_dirs: Vec<PathBuf> = manifest_dir.into_iter().chain(caller_dir).collect();
    gateway_dsl::expand_macro(&path.value(), path.span(), &search_dirs, &cwd).into()
}
