//! `GET /api/v1/health`: is the server up and can it reach its database?

use axum::Json;
use axum::extract::State;
use konvergen_shared::api::Health;

use crate::AppState;

/// Reports status, version, database reachability and schema version.
#[utoipa::path(get, path = "/api/v1/health", tag = "system", responses((status = 200, body = Health)))]
pub async fn show(State(state): State<AppState>) -> Json<Health> {
    let (database_ok, schema_version) = state.store.health().await;
    Json(Health {
        status: if database_ok { "ok" } else { "degraded" }.to_owned(),
        version: konvergen_shared::APP_VERSION.to_owned(),
        database_ok,
        schema_version,
    })
}
