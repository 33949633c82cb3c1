//! `GET /api/v1/openapi.json`: the API description, generated from the handlers' annotations
//! and the shared wire types, so it cannot drift from the code unnoticed (a test compares
//! its paths with the router's).

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    actions, aggregates, auth, blobs, district, dossier, health, overview, panel, panel_results,
    supervision, sync, team,
};

/// The OpenAPI document of the server.
#[derive(OpenApi)]
#[openapi(
    info(title = "konvergen API", description = "Sync and reporting API of konvergen. Every error has the ErrorBody shape."),
    paths(
        health::show,
        auth::login,
        auth::logout,
        auth::me,
        sync::push,
        sync::pull,
        sync::heartbeat,
        supervision::sync_status,
        supervision::conflicts,
        supervision::resolve,
        aggregates::show,
        aggregates::trend,
        aggregates::households,
        aggregates::export_csv,
        aggregates::export_xlsx,
        actions::catalogue,
        actions::show,
        actions::set_item,
        actions::transition,
        actions::review_item,
        panel::rubric,
        panel::set_rubric,
        panel::board,
        panel::district,
        panel::save_sheet,
        panel::submit_sheet,
        panel_results::publish,
        panel_results::ranking,
        panel_results::ranking_xlsx,
        panel_results::result,
        blobs::upload,
        blobs::head,
        blobs::download,
        district::agencies,
        district::board,
        team::list,
        team::add,
        team::set_state,
        team::reset_password,
        dossier::workbook,
        dossier::evidence,
        overview::show,
        overview::workbook,
    ),
    modifiers(&BearerAuth)
)]
#[derive(Debug)]
pub struct ApiDoc;

/// Declares the bearer-token scheme the `security` entries refer to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Serves the document.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
