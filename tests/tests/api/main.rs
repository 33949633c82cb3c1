//! API tests: one binary, each test with its own real server on 127.0.0.1:0 and its own
//! temporary SQLite file.

mod actions;
mod aggregates;
mod assignments;
mod auth;
mod bad_input;
mod blobs;
mod district;
mod dossier;
mod fixtures;
mod health;
mod integrity;
mod login_limits;
mod matrix;
mod openapi;
mod overview;
mod panel;
mod pull;
mod push;
mod recompute;
mod review;
mod supervision;
mod team_accounts;
mod team_files;
mod village_fund;
