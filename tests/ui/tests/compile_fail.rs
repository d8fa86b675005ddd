//! Each `cases/CATEGORY/*.rs` calls `gateway!` on a `.gw` file with one
//! kind of mistake; the build must fail with exactly the errors in the
//! case's `.stderr`. Bless deliberate changes with `TRYBUILD=overwrite`.
//!
//! Categories: `syntax` (the grammar), `names` (unknown or duplicate
//! names), `values` (a value of the wrong form), `semantics` (valid parts
//! that do not go together), `files` (files that cannot be read).

#[test]
fn gw_errors_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    for category in ["syntax", "names", "values", "semantics", "files"] {
        cases.compile_fail(format!("cases/{category}/*.rs"));
    }
}
