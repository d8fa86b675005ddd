//! Each `cases/*.rs` calls `gateway!` on a `.gw` file with one kind of
//! mistake; the build must fail with exactly the errors in the case's
//! `.stderr`. Bless deliberate changes with `TRYBUILD=overwrite`.

#[test]
fn gw_errors_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("cases/*.rs");
}
