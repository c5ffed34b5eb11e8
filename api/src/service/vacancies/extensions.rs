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
use crate::service::outbox::{self, EXTENSION_SUBJECT_PREFIX};

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
pub async fn grant_extension(
    db: &DatabaseConnection,
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
    let (subject, body) = extension_notice(vacancy, deadline, None);
    outbox::enqueue(&txn, &candidate.email, &subject, &body, now).await?;
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

/// The email telling a candidate their own deadline: in their language when it is known, in
/// English then French otherwise. The deadline told is the one that holds for them (an extension
/// never shortens the vacancy's), in the vacancy's time zone; the reason is not repeated (it may
/// be private, and the candidate knows it).
pub fn extension_notice(
    vacancy: &Vacancy,
    extension: DateTime<Utc>,
    lang: Option<Lang>,
) -> (String, String) {
    let deadline = vacancy
        .rules
        .deadline
        .map_or(extension, |d| d.max(extension));
    let reference = &vacancy.model.reference;
    let shown = |lang| policy::format_deadline(deadline, vacancy.rules.time_zone, lang);
    let english = format!(
        "An extension has been granted to you for vacancy {reference} ({title}).\n\
         Your own deadline is now {when}. Until then you can upload or replace your documents \
         as before; the checks on them are the same.\n",
        title = vacancy.model.title_en,
        when = shown(Lang::En),
    );
    let french = format!(
        "Une prolongation vous a été accordée pour l'avis de vacance {reference} ({title}).\n\
         Votre date limite est désormais le {when}. D'ici là, vous pouvez déposer ou remplacer \
         vos documents comme avant ; les vérifications restent les mêmes.\n",
        title = vacancy.model.title_fr,
        when = shown(Lang::Fr),
    );
    let english_subject =
        format!("{EXTENSION_SUBJECT_PREFIX}: your deadline for vacancy {reference}");
    let french_subject = format!("Prolongation : votre date limite pour l'avis {reference}");
    match lang {
        Some(Lang::En) => (english_subject, english),
        // The subject still starts with the English word, which is how the outbox tells an
        // extension notice from other mail.
        Some(Lang::Fr) => (
            format!("{EXTENSION_SUBJECT_PREFIX} / {french_subject}"),
            french,
        ),
        None => (
            format!("{english_subject} / {french_subject}"),
            format!("{english}\n{french}"),
        ),
    }
}
