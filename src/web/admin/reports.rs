//! `GET /api/admin/reports`: visitors' problem reports, newest first (SPEC §10).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ListParams;
use super::validate::is_component;
use crate::store::StoredReport;
use crate::web::api_error::{ApiError, ApiQuery, ErrorBody};
use crate::web::state::AppState;

/// `?component=&limit=&offset=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Only the reports of this component.
    component: Option<String>,
    /// At most this many (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// Skip this many (default 0).
    #[param(minimum = 0, maximum = 4_294_967_295_u64, format = Int64)]
    offset: Option<u32>,
}

/// One report. The note is the visitor's plain text, as written: show it
/// escaped.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportJson {
    pub id: String,
    pub component: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    /// The client address as a salted SHA-256 (hex): equal for reports of
    /// one address, never the address.
    pub reporter: String,
    /// Whether this report made a `reports.spike`.
    pub spike: bool,
}

impl From<StoredReport> for ReportJson {
    fn from(r: StoredReport) -> ReportJson {
        ReportJson {
            id: r.report_id.to_string(),
            created_at: r.at(),
            component: r.component_id,
            note: r.note,
            reporter: r.reporter_hash,
            spike: r.spike,
        }
    }
}

/// A page of reports and how many match in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportList {
    pub reports: Vec<ReportJson>,
    pub total: i64,
}

/// List reports, newest first, optionally of one component.
#[utoipa::path(get, path = "/api/admin/reports", tag = "reports",
    params(ReportParams),
    responses(
        (status = 200, body = ReportList),
        (status = "4XX", description = "401, 404 (unknown component) or 422", body = ErrorBody),
    ))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ReportParams>,
) -> Result<Json<ReportList>, ApiError> {
    let page = ListParams {
        limit: params.limit,
        offset: params.offset,
    };
    let (limit, offset) = page.parse()?;
    if let Some(id) = &params.component
        && !is_component(&state.config, id)
    {
        return Err(ApiError::not_found("component", id));
    }
    let (reports, total) = state
        .store
        .reports(
            params.component.as_deref(),
            i64::from(offset),
            i64::from(limit),
        )
        .await?;
    Ok(Json(ReportList {
        reports: reports.into_iter().map(ReportJson::from).collect(),
        total,
    }))
}
