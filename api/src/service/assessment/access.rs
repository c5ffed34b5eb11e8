//! Which essays a panel member may open: the current version of each active application, once
//! its candidate can no longer replace it, and never one they declared a conflict for.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use entity::{applications, document_versions};

use super::conflicts::{conflict_refusal, conflicted};
use super::panel::{ensure_readable, seat, Seat};
use crate::error::ApiError;
use crate::service::vacancies::{self, Vacancy};

pub(super) struct CurrentEssay {
    pub(super) application: applications::Model,
    pub(super) version: document_versions::Model,
}

pub(super) async fn current_essays(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<CurrentEssay>, ApiError> {
    let apps = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(applications::Column::Status.eq("active"))
        .all(db)
        .await?;
    let ids: Vec<String> = apps.iter().map(|a| a.id.clone()).collect();
    let versions = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.is_in(ids))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .all(db)
        .await?;
    let by_id: HashMap<String, applications::Model> =
        apps.into_iter().map(|a| (a.id.clone(), a)).collect();
    let mut essays: Vec<CurrentEssay> = versions
        .into_iter()
        .filter_map(|version| {
            by_id
                .get(&version.application_id)
                .cloned()
                .map(|application| CurrentEssay {
                    application,
                    version,
                })
        })
        .collect();
    essays.sort_by(|a, b| {
        a.application
            .anon_code
            .cmp(&b.application.anon_code)
            .then(a.version.document_kind.cmp(&b.version.document_kind))
    });
    Ok(essays)
}

/// The essay version the panel's results are about for one application: its current version,
/// the first document by kind when a vacancy asks for several (the order [`current_essays`]
/// lists them in, and so the row [`super::scoring::results`] shows). Scores and decisions are
/// attached to this version.
pub(super) async fn current_version(
    db: &impl ConnectionTrait,
    application_id: &str,
) -> Result<Option<document_versions::Model>, ApiError> {
    Ok(document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .order_by_asc(document_versions::Column::DocumentKind)
        .one(db)
        .await?)
}

/// Only the `details` of a stored inspection, and of them only what `T` names: the stored JSON
/// also holds the essay's HTML (up to 4 MiB), which essay lists and image requests would
/// otherwise copy out for every essay or image.
#[derive(Deserialize)]
pub(super) struct StoredDetails<T> {
    pub(super) details: T,
}

/// Whether this candidate's own deadline (their extension included) and its grace have passed,
/// so that the essay can no longer be replaced; always true where the vacancy lets assessors read
/// before the deadline (scores then belong to the version that was read).
pub(super) async fn closed_for_candidate(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    application: &applications::Model,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    if vacancy.model.assessors_see_before_deadline {
        return Ok(true);
    }
    let extension =
        vacancies::extension_for(db, &vacancy.model.id, &application.candidate_id).await?;
    Ok(crate::service::submissions::closes_at(vacancy, extension)
        .is_some_and(|closes| now >= closes))
}

/// The essay version an assessor may open: on their panel, readable, not conflicted, current.
pub(super) async fn readable_version(
    db: &impl ConnectionTrait,
    assessor_id: &str,
    version_id: &str,
    now: DateTime<Utc>,
) -> Result<(document_versions::Model, applications::Model, Seat), ApiError> {
    let version = document_versions::Entity::find_by_id(version_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let application = applications::Entity::find_by_id(version.application_id.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("essay"))?;
    let vacancy = vacancies::find_by_id(db, &application.vacancy_id).await?;
    let seat = seat(db, assessor_id, &vacancy.model.reference).await?;
    ensure_readable(&seat, now)?;
    // Only what the panel is meant to judge: the current version of an application still in
    // the competition, once that candidate can no longer change it.
    if !version.is_current
        || application.status != "active"
        || !closed_for_candidate(db, &seat.vacancy, &application, now).await?
    {
        return Err(ApiError::NotFound("essay"));
    }
    if conflicted(db, &application.id, assessor_id).await? {
        return Err(conflict_refusal("open"));
    }
    Ok((version, application, seat))
}

/// `<candidate code>-<document>.<extension>`: what assessors and exports call a file, so that
/// the candidate's own file name (which often holds their name) never reaches them.
pub(super) fn anonymous_file_name(
    application: &applications::Model,
    version: &document_versions::Model,
) -> String {
    anonymous_name(
        &application.anon_code,
        &version.document_kind,
        &version.original_filename,
    )
}

/// The name of a candidate's document under their code, keeping the file's extension.
pub(super) fn anonymous_name(anon_code: &str, kind: &str, original_filename: &str) -> String {
    let extension = original_filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".into());
    format!("{anon_code}-{kind}.{extension}")
}
