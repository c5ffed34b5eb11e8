//! The events webhooks are told about. Services write an event in the same transaction (or on
//! the same connection) as what caused it; the dispatcher fans it out to the webhooks that asked
//! for it. Payloads carry ids and links, never essay bytes, names or addresses.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use entity::webhook_events;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum EventType {
    #[serde(rename = "vacancy.published")]
    VacancyPublished,
    #[serde(rename = "vacancy.closed")]
    VacancyClosed,
    /// Every document the vacancy asks for has an accepted current version.
    #[serde(rename = "application.completed")]
    ApplicationCompleted,
    #[serde(rename = "version.accepted")]
    VersionAccepted,
    #[serde(rename = "decision.recorded")]
    DecisionRecorded,
}

impl EventType {
    pub const ALL: [EventType; 5] = [
        EventType::VacancyPublished,
        EventType::VacancyClosed,
        EventType::ApplicationCompleted,
        EventType::VersionAccepted,
        EventType::DecisionRecorded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::VacancyPublished => "vacancy.published",
            EventType::VacancyClosed => "vacancy.closed",
            EventType::ApplicationCompleted => "application.completed",
            EventType::VersionAccepted => "version.accepted",
            EventType::DecisionRecorded => "decision.recorded",
        }
    }

    pub fn parse(text: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// An event row, for callers that write it with other rows. `once` names an event that must
/// happen only once (a second row with the same key is not written).
pub fn event(
    event_type: EventType,
    data: Value,
    once: Option<String>,
    now: DateTime<Utc>,
) -> webhook_events::ActiveModel {
    webhook_events::ActiveModel {
        id: Set(format!("msg_{}", uuid::Uuid::new_v4().simple())),
        event_type: Set(event_type.as_str().to_owned()),
        data: Set(data.to_string()),
        dedupe_key: Set(once),
        created_at: Set(now),
        dispatched_at: Set(None),
    }
}

/// The event as a statement for `backend`; an event whose key was already written is skipped.
pub fn event_statement(backend: DatabaseBackend, row: webhook_events::ActiveModel) -> Statement {
    use sea_orm::QueryTrait;
    webhook_events::Entity::insert(row)
        .on_conflict(
            OnConflict::column(webhook_events::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .build(backend)
}

pub async fn emit(
    db: &impl ConnectionTrait,
    event_type: EventType,
    data: Value,
    once: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let statement = event_statement(
        db.get_database_backend(),
        event(event_type, data, once, now),
    );
    db.execute_raw(statement).await?;
    Ok(())
}

fn vacancy_links(reference: &str) -> Value {
    json!({
        "vacancy": format!("/api/admin/vacancies/{reference}"),
        "applications": format!("/api/admin/vacancies/{reference}/applications"),
    })
}

pub fn vacancy_data(reference: &str, status: &str, deadline: Option<DateTime<Utc>>) -> Value {
    json!({
        "reference": reference,
        "status": status,
        "deadline": deadline,
        "links": vacancy_links(reference),
    })
}

pub fn version_data(
    reference: &str,
    application_id: &str,
    version_id: &str,
    document_kind: &str,
    version: i32,
) -> Value {
    json!({
        "reference": reference,
        "application_id": application_id,
        "version_id": version_id,
        "document_kind": document_kind,
        "version": version,
        "links": {
            "applications": format!("/api/admin/vacancies/{reference}/applications"),
            "essay": format!(
                "/api/admin/vacancies/{reference}/applications/{application_id}/essay?kind={document_kind}"
            ),
        },
    })
}

pub fn application_data(reference: &str, application_id: &str) -> Value {
    json!({
        "reference": reference,
        "application_id": application_id,
        "links": {
            "applications": format!("/api/admin/vacancies/{reference}/applications"),
            "essay": format!("/api/admin/vacancies/{reference}/applications/{application_id}/essay"),
        },
    })
}

pub fn decision_data(
    reference: &str,
    application_id: &str,
    version_id: &str,
    decision: &str,
) -> Value {
    json!({
        "reference": reference,
        "application_id": application_id,
        "version_id": version_id,
        "decision": decision,
        "links": {
            "results": format!("/api/admin/vacancies/{reference}/results"),
        },
    })
}

/// The delivered body: `{"type", "timestamp", "data"}`, with the data's links made absolute
/// when the public origin is known.
pub fn body(
    event_type: &str,
    created_at: DateTime<Utc>,
    data: &str,
    public_origin: Option<&str>,
) -> String {
    let mut data: Value = serde_json::from_str(data).unwrap_or(Value::Null);
    if let (Some(origin), Some(links)) = (
        public_origin,
        data.get_mut("links").and_then(Value::as_object_mut),
    ) {
        let origin = origin.trim_end_matches('/');
        for link in links.values_mut() {
            if let Some(path) = link.as_str() {
                *link = Value::String(format!("{origin}{path}"));
            }
        }
    }
    json!({
        "type": event_type,
        "timestamp": created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    })
    .to_string()
}
