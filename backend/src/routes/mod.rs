//! Every path of the HTTP API in one place, plus the middleware stack.

mod actions;
mod aggregates;
mod auth;
mod blobs;
mod district;
mod dossier;
pub use auth::{DUMMY_HASH, MAX_PASSWORD_BYTES, MAX_USERNAME_BYTES};
mod health;
pub mod openapi;
mod overview;
mod panel;
mod panel_results;
mod supervision;
mod sync;
mod team;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode};
use axum::middleware;
use axum::routing::{get, post, put};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::error::{ApiError, uniform_errors};
use crate::static_files;

/// The API under `/api/v1`, the static app everywhere else.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let blob_state = state.clone();
    let api = Router::new()
        .route("/health", get(health::show))
        .route("/openapi.json", get(openapi::document))
        .route(
            "/auth/login",
            post(auth::login).layer(DefaultBodyLimit::max(auth::LOGIN_BODY_LIMIT)),
        )
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/sync/heartbeat", post(sync::heartbeat))
        .route("/actions/catalogue/{year}", get(actions::catalogue))
        .route("/actions/checklists/{regency}/{year}", get(actions::show))
        .route(
            "/actions/checklists/{regency}/{year}/items/{key}",
            put(actions::set_item),
        )
        .route(
            "/actions/checklists/{regency}/{year}/transition",
            post(actions::transition),
        )
        .route(
            "/actions/checklists/{regency}/{year}/reviews/{key}",
            put(actions::review_item),
        )
        .route(
            "/assessment/{year}/rubric",
            get(panel::rubric).put(panel::set_rubric),
        )
        .route("/assessment/{year}/panel", get(panel::board))
        .route(
            "/assessment/{year}/districts/{regency}",
            get(panel::district),
        )
        .route(
            "/assessment/{year}/districts/{regency}/sheet",
            put(panel::save_sheet),
        )
        .route(
            "/assessment/{year}/districts/{regency}/sheet/submit",
            post(panel::submit_sheet),
        )
        .route("/assessment/{year}/publish", post(panel_results::publish))
        .route("/assessment/{year}/ranking", get(panel_results::ranking))
        .route(
            "/assessment/{year}/ranking.xlsx",
            get(panel_results::ranking_xlsx),
        )
        .route(
            "/assessment/{year}/result/{regency}",
            get(panel_results::result),
        )
        .route("/district/{regency}/agencies", get(district::agencies))
        .route("/district/{regency}/{year}/board", get(district::board))
        .route(
            "/district/{regency}/accounts",
            get(team::list).post(team::add),
        )
        .route(
            "/district/{regency}/accounts/{username}/state",
            put(team::set_state),
        )
        .route(
            "/district/{regency}/accounts/{username}/password",
            put(team::reset_password),
        )
        .route(
            "/district/{regency}/{year}/dossier.xlsx",
            get(dossier::workbook),
        )
        .route(
            "/district/{regency}/{year}/evidence.zip",
            get(dossier::evidence),
        )
        .route("/aggregates", get(aggregates::show))
        .route("/aggregates/trend", get(aggregates::trend))
        .route("/aggregates/households", get(aggregates::households))
        .route("/aggregates/export.csv", get(aggregates::export_csv))
        .route("/aggregates/export.xlsx", get(aggregates::export_xlsx))
        // The province's overview of a year (#16).
        .route("/province/{year}/overview", get(overview::show))
        .route("/province/{year}/overview.xlsx", get(overview::workbook))
        .route("/supervision/sync-status", get(supervision::sync_status))
        .route("/supervision/conflicts", get(supervision::conflicts))
        .route(
            "/supervision/conflicts/{id}/resolve",
            post(supervision::resolve),
        )
        .fallback(|| async { ApiError::NoSuchEndpoint });
    Router::new()
        .nest("/api/v1", api)
        .fallback_service(static_files::service(&config.static_dir))
        .with_state(state)
        .layer(middleware::from_fn(uniform_errors))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout(),
        ))
        // Merged after the timeout and the body limit, which would cut off an upload on a
        // slow link; the blob routes enforce their own (routes/blobs.rs).
        .merge(blobs::router(blob_state))
        .layer(middleware::from_fn(static_files::cache_headers))
        .layer(middleware::from_fn_with_state(
            Arc::new(
                HeaderValue::from_str(&static_files::content_security_policy(&config.static_dir))
                    .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            ),
            static_files::security_headers,
        ))
        .layer(TraceLayer::new_for_http())
}
