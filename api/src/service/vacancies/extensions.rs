//! Extensions: a later deadline granted to one candidate, with the reason, audited, and the
//! candidate told by email.

use chrono::{DateTime, Utc};
use policy::Lang;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use entity::{accounts, extensions};

use super::Vacancy;
use crate::domain::Role;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::mail::{self, MailKind, MailTemplates, Rendered};
use crate::service::outbox;

/// The longest reason kept (it goes to the audit log and the admin's pages).
const MAX_REASON_CHARS: usize = 1000;

/// The candidate's own deadline: their extension if one was granted, else the vacancy's.
pub async fn extension_for(
    db: &impl ConnectionTrait,
    vacancy_id: &str,
    account_id: &str,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    Ok(extensions::Entity::find()
        .filter(extensions::Column::VacancyId.eq(vacancy_id))
        .filter(extensions::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .map(|e| e.deadline))
}

/// Grants (or replaces) one candidate's extension, audits it, and writes the candidate an email,
/// all in one transaction: the candidate is told exactly when the extension exists.
#[allow(clippy::too_many_arguments)]
pub async fn grant_extension(
    db: &DatabaseConnection,
    templates: &MailTemplates,
    vacancy: &Vacancy,
    account_id: &str,
    deadline: DateTime<Utc>,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::Validation(
            "give the reason for the extension".into(),
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::Validation(format!(
            "the reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    let txn = crate::database::begin_write(db).await?;
    let candidate = accounts::Entity::find_by_id(account_id.to_owned())
        .one(&txn)
        .await?
        .filter(|a| a.role == Role::Candidate.as_str())
        .ok_or(ApiError::NotFound("candidate"))?;
    extensions::Entity::delete_many()
        .filter(extensions::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(extensions::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    extensions::Entity::insert(extensions::ActiveModel {
        vacancy_id: Set(vacancy.model.id.clone()),
        account_id: Set(account_id.to_owned()),
        deadline: Set(deadline),
        reason: Set(reason.to_owned()),
        granted_by: Set(actor.account_id.clone().unwrap_or_default()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let notice = extension_notice(templates, vacancy, deadline, mail::language_of(&candidate))?;
    outbox::enqueue(&txn, &candidate.email, MailKind::Extension, &notice, now).await?;
    audit::record(
        &txn,
        actor,
        "extension.granted",
        Some(&vacancy.model.reference),
        json!({ "account_id": account_id, "deadline": deadline, "reason": reason }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The email telling a candidate their own deadline, in their language. The deadline told is the
/// one that holds for them (an extension never shortens the vacancy's), in the vacancy's time
/// zone; the reason is not repeated (it may be private, and the candidate knows it).
pub fn extension_notice(
    templates: &MailTemplates,
    vacancy: &Vacancy,
    extension: DateTime<Utc>,
    lang: Lang,
) -> Result<Rendered, ApiError> {
    let deadline = vacancy
        .rules
        .deadline
        .map_or(extension, |d| d.max(extension));
    let title = match lang {
        Lang::En => &vacancy.model.title_en,
        Lang::Fr => &vacancy.model.title_fr,
    };
    templates.compose(
        MailKind::Extension,
        lang,
        &json!({
            "reference": vacancy.model.reference,
            "title": title,
            "deadline": policy::format_deadline(deadline, vacancy.rules.time_zone, lang),
        }),
    )
}
