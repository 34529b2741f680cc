//! The server's integration tests: one binary (link once on two cores).

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod browser;
mod property;
mod support;
mod web;
