//! Compile-fail tests of the `.gw` language; see `tests/compile_fail.rs`.
