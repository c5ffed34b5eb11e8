//! Reminders to candidates whose application is incomplete (a document without an accepted
//! current version) as their own deadline nears: at each of the vacancy's offsets (72 h and 24 h
//! before by default), once each across instances, never to a withdrawn application or to a
//! candidate who stopped them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, SqlErr, TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use entity::{accounts, applications, document_versions, extensions, reminders_sent};

use crate::configuration::Settings;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::mail::{self, MailKind, MailTemplates};
use crate::service::outbox;
use crate::service::vacancies::{self, Vacancy, VacancyStatus};

/// The offsets a vacancy starts with, in hours before a candidate's own deadline.
pub const DEFAULT_HOURS: [u32; 2] = [72, 24];
/// At most this many offsets per vacancy, each at most this many hours (30 days).
pub const MAX_OFFSETS: usize = 5;
pub const MAX_HOURS: u32 = 720;

/// How often an instance looks for reminders that are due.
const PASS_SECONDS: u64 = 300;

/// What the decision needs to know of one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationState {
    pub application_id: String,
    /// The candidate's own deadline (their extension if later than the vacancy's).
    pub deadline: Option<DateTime<Utc>>,
    /// Not withdrawn.
    pub active: bool,
    /// A document has no accepted current version (missing, or only refused uploads).
    pub incomplete: bool,
    /// The candidate asked for no more reminders for this vacancy.
    pub stopped: bool,
    /// The offsets already sent to this application.
    pub sent: Vec<u32>,
}

/// A reminder to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub application_id: String,
    pub offset_hours: u32,
    pub deadline: DateTime<Utc>,
}

/// The reminders due at `now`. Of the offsets whose time has come, only the nearest to the
/// deadline is sent: a candidate who applies 20 hours before the deadline gets the 24 h
/// reminder, not the 72 h one as well; and once a nearer one went, a farther one never follows.
pub fn due_reminders(
    applications: &[ApplicationState],
    offsets: &[u32],
    now: DateTime<Utc>,
) -> Vec<DueReminder> {
    applications
        .iter()
        .filter(|a| a.active && a.incomplete && !a.stopped)
        .filter_map(|a| {
            let deadline = a.deadline.filter(|d| now < *d)?;
            let nearest = offsets
                .iter()
                .copied()
                .filter(|hours| now >= deadline - Duration::hours(i64::from(*hours)))
                .min()?;
            (!a.sent.contains(&nearest)).then(|| DueReminder {
                application_id: a.application_id.clone(),
                offset_hours: nearest,
                deadline,
            })
        })
        .collect()
}

/// One offset's reminders still to come, for the admin's vacancy page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PlannedReminder {
    pub offset_hours: u32,
    /// When they go (per distinct candidate deadline: an extension moves a candidate's).
    pub at: DateTime<Utc>,
    /// How many candidates would receive it if their application stays incomplete.
    pub candidates: usize,
}

/// What the admin's vacancy page says of reminders.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReminderPlan {
    pub reminder_hours: Vec<u32>,
    /// Active applications that are incomplete now.
    pub incomplete: usize,
    /// Of those, the candidates who stopped reminders.
    pub stopped: usize,
    /// The reminders still to be sent, soonest first.
    pub planned: Vec<PlannedReminder>,
    /// Reminders sent so far for this vacancy.
    pub sent: usize,
}

/// The reminders that will be sent if nothing changes: for each application that would get
/// reminders, the offsets whose time is still ahead (each one, as the nearest due at its time,
/// is what [`due_reminders`] sends then), and any due now but not sent yet.
pub fn plan(
    applications: &[ApplicationState],
    offsets: &[u32],
    now: DateTime<Utc>,
) -> Vec<PlannedReminder> {
    let mut planned: BTreeMap<(DateTime<Utc>, u32), usize> = BTreeMap::new();
    for due in due_reminders(applications, offsets, now) {
        *planned.entry((now, due.offset_hours)).or_default() += 1;
    }
    for a in applications
        .iter()
        .filter(|a| a.active && a.incomplete && !a.stopped)
    {
        let Some(deadline) = a.deadline.filter(|d| now < *d) else {
            continue;
        };
        for hours in offsets {
            let at = deadline - Duration::hours(i64::from(*hours));
            if at > now && !a.sent.contains(hours) {
                *planned.entry((at, *hours)).or_default() += 1;
            }
        }
    }
    planned
        .into_iter()
        .map(|((at, offset_hours), candidates)| PlannedReminder {
            offset_hours,
            at,
            candidates,
        })
        .collect()
}

/// The offsets as the vacancy form sends them: distinct, positive, at most 30 days, at most five;
/// kept from the farthest to the nearest.
pub fn validate_hours(hours: &[u32]) -> Result<Vec<u32>, ApiError> {
    if hours.len() > MAX_OFFSETS {
        return Err(ApiError::Validation(format!(
            "give at most {MAX_OFFSETS} reminder times"
        )));
    }
    if hours.iter().any(|h| *h == 0 || *h > MAX_HOURS) {
        return Err(ApiError::Validation(format!(
            "a reminder is sent 1 to {MAX_HOURS} hours before the deadline"
        )));
    }
    let mut sorted: Vec<u32> = hours.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    Ok(sorted)
}

/// The vacancy's applications as the decision sees them.
async fn states(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<(Vec<ApplicationState>, Vec<applications::Model>), ApiError> {
    let apps = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .all(db)
        .await?;
    let ids: Vec<String> = apps.iter().map(|a| a.id.clone()).collect();
    let extended: HashMap<String, DateTime<Utc>> = extensions::Entity::find()
        .filter(extensions::Column::VacancyId.eq(vacancy.model.id.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.account_id, e.deadline))
        .collect();
    let mut current: HashMap<String, HashSet<String>> = HashMap::new();
    let mut sent: HashMap<String, Vec<u32>> = HashMap::new();
    // In slices: PostgreSQL takes at most 65535 parameters in one statement.
    for chunk in ids.chunks(1000) {
        for version in document_versions::Entity::find()
            .filter(document_versions::Column::ApplicationId.is_in(chunk.to_vec()))
            .filter(document_versions::Column::IsCurrent.eq(true))
            .all(db)
            .await?
        {
            current
                .entry(version.application_id)
                .or_default()
                .insert(version.document_kind);
        }
        for row in reminders_sent::Entity::find()
            .filter(reminders_sent::Column::ApplicationId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            sent.entry(row.application_id)
                .or_default()
                .push(u32::try_from(row.offset_hours).unwrap_or_default());
        }
    }
    let states = apps
        .iter()
        .map(|a| {
            let accepted = current.get(&a.id);
            let incomplete = vacancy
                .rules
                .documents
                .iter()
                .any(|d| accepted.is_none_or(|kinds| !kinds.contains(&d.kind)));
            let extension = extended.get(&a.candidate_id).copied();
            let deadline = match (vacancy.rules.deadline, extension) {
                (Some(d), Some(e)) => Some(d.max(e)),
                (d, None) => d,
                (None, Some(e)) => Some(e),
            };
            ApplicationState {
                application_id: a.id.clone(),
                deadline,
                active: a.status == "active",
                incomplete,
                stopped: a.reminders_stopped_at.is_some(),
                sent: sent.remove(&a.id).unwrap_or_default(),
            }
        })
        .collect();
    Ok((states, apps))
}

/// The admin's view of a vacancy's reminders at `now`.
pub async fn plan_for(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<ReminderPlan, ApiError> {
    let (states, _) = states(db, vacancy).await?;
    let hours = vacancy.reminder_hours();
    let open = vacancy.status() == VacancyStatus::Open;
    Ok(ReminderPlan {
        incomplete: states.iter().filter(|s| s.active && s.incomplete).count(),
        stopped: states
            .iter()
            .filter(|s| s.active && s.incomplete && s.stopped)
            .count(),
        planned: if open {
            plan(&states, &hours, now)
        } else {
            Vec::new()
        },
        sent: states.iter().map(|s| s.sent.len()).sum(),
        reminder_hours: hours,
    })
}

/// Sends every reminder due at `now`, for every open vacancy; returns how many this instance
/// sent. Each goes in its own transaction with its `reminders_sent` row: when two instances
/// decide the same reminder, the second one's insert fails on the key and its mail is undone.
pub async fn send_due(
    db: &DatabaseConnection,
    settings: &Settings,
    templates: &MailTemplates,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let mut sent = 0;
    for vacancy in vacancies::list_all(db).await? {
        let hours = vacancy.reminder_hours();
        if vacancy.status() != VacancyStatus::Open || hours.is_empty() {
            continue;
        }
        let (states, apps) = states(db, &vacancy).await?;
        let due = due_reminders(&states, &hours, now);
        if due.is_empty() {
            continue;
        }
        let by_id: HashMap<&str, &applications::Model> =
            apps.iter().map(|a| (a.id.as_str(), a)).collect();
        for reminder in due {
            let Some(application) = by_id.get(reminder.application_id.as_str()) else {
                continue;
            };
            let accepted = current_kinds(db, &application.id).await?;
            let missing: Vec<&policy::DocumentRules> = vacancy
                .rules
                .documents
                .iter()
                .filter(|d| !accepted.contains(&d.kind))
                .collect();
            if send_one(
                db,
                settings,
                templates,
                &vacancy,
                application,
                &missing,
                &reminder,
                now,
            )
            .await?
            {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

async fn current_kinds(
    db: &impl ConnectionTrait,
    application_id: &str,
) -> Result<HashSet<String>, ApiError> {
    Ok(document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application_id))
        .filter(document_versions::Column::IsCurrent.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.document_kind)
        .collect())
}

/// One reminder and its record, together or not at all. `false` when another instance sent it.
#[allow(clippy::too_many_arguments)]
async fn send_one(
    db: &DatabaseConnection,
    settings: &Settings,
    templates: &MailTemplates,
    vacancy: &Vacancy,
    application: &applications::Model,
    missing: &[&policy::DocumentRules],
    reminder: &DueReminder,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let Some(candidate) = accounts::Entity::find_by_id(application.candidate_id.clone())
        .one(db)
        .await?
        .filter(|a| !a.disabled)
    else {
        return Ok(false);
    };
    let lang = mail::language_of(&candidate);
    let (title, documents): (&str, Vec<&str>) = match lang {
        policy::Lang::En => (
            &vacancy.model.title_en,
            missing.iter().map(|d| d.title_en.as_str()).collect(),
        ),
        policy::Lang::Fr => (
            &vacancy.model.title_fr,
            missing.iter().map(|d| d.title_fr.as_str()).collect(),
        ),
    };
    let origin = settings
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.bind));
    let text = templates.compose(
        MailKind::Reminder,
        lang,
        &json!({
            "reference": vacancy.model.reference,
            "title": title,
            "missing": documents,
            "deadline": policy::format_deadline(reminder.deadline, vacancy.rules.time_zone, lang),
            "hours": reminder.offset_hours,
            "url": format!("{}/applications", origin.trim_end_matches('/')),
        }),
    )?;
    let txn = db.begin().await?;
    let recorded = reminders_sent::Entity::insert(reminders_sent::ActiveModel {
        application_id: Set(application.id.clone()),
        offset_hours: Set(i32::try_from(reminder.offset_hours).unwrap_or(i32::MAX)),
        sent_at: Set(now),
    })
    .exec(&txn)
    .await;
    match recorded {
        Ok(_) => {}
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return Ok(false);
        }
        Err(error) => return Err(error.into()),
    }
    outbox::enqueue(&txn, &candidate.email, MailKind::Reminder, &text, now).await?;
    audit::record(
        &txn,
        &Actor::default(),
        "reminder.sent",
        Some(&vacancy.model.reference),
        json!({ "application_id": application.id, "offset_hours": reminder.offset_hours }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// The candidate stops (or resumes) reminders for one of their applications.
pub async fn set_stopped(
    db: &impl ConnectionTrait,
    candidate: &accounts::Model,
    application_id: &str,
    stopped: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let application = applications::Entity::find_by_id(application_id.to_owned())
        .one(db)
        .await?
        .filter(|a| a.candidate_id == candidate.id)
        .ok_or(ApiError::NotFound("application"))?;
    let mut model: applications::ActiveModel = application.into();
    model.reminders_stopped_at = Set(stopped.then_some(now));
    model.update(db).await?;
    audit::record(
        db,
        actor,
        if stopped {
            "reminders.stopped"
        } else {
            "reminders.resumed"
        },
        None,
        json!({ "application_id": application_id }),
        now,
    )
    .await?;
    Ok(())
}

/// Looks for due reminders every few minutes, on every instance (the key makes each go once).
pub fn spawn_pass(
    db: DatabaseConnection,
    settings: std::sync::Arc<Settings>,
    templates: std::sync::Arc<MailTemplates>,
) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(PASS_SECONDS)).await;
            match send_due(&db, &settings, &templates, Utc::now()).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "reminders queued in the outbox"),
                Err(error) => tracing::warn!(%error, "reminder pass failed; tried again later"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours_before_deadline: i64) -> DateTime<Utc> {
        deadline() - Duration::hours(hours_before_deadline)
    }

    fn deadline() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-15T11:00:00Z")
            .unwrap()
            .to_utc()
    }

    fn incomplete(id: &str) -> ApplicationState {
        ApplicationState {
            application_id: id.into(),
            deadline: Some(deadline()),
            active: true,
            incomplete: true,
            stopped: false,
            sent: vec![],
        }
    }

    fn sent_offsets(apps: &[ApplicationState], now: DateTime<Utc>) -> Vec<(String, u32)> {
        due_reminders(apps, &DEFAULT_HOURS, now)
            .into_iter()
            .map(|d| (d.application_id, d.offset_hours))
            .collect()
    }

    #[test]
    fn an_incomplete_application_is_reminded_at_72_hours_then_at_24_hours_once_each() {
        // The clock moves forward; each pass records what it sent, as the table does.
        let mut app = incomplete("a");
        let mut log = vec![];
        for hours_before in [100, 80, 72, 71, 50, 25, 24, 23, 1] {
            let now = at(hours_before);
            for (id, hours) in sent_offsets(std::slice::from_ref(&app), now) {
                app.sent.push(hours);
                log.push((hours_before, id, hours));
            }
        }
        assert_eq!(
            log,
            vec![(72, "a".to_owned(), 72), (24, "a".to_owned(), 24)]
        );
    }

    #[test]
    fn who_is_not_reminded() {
        let cases: Vec<(&str, ApplicationState)> = vec![
            (
                "withdrawn",
                ApplicationState {
                    active: false,
                    ..incomplete("w")
                },
            ),
            (
                "complete",
                ApplicationState {
                    incomplete: false,
                    ..incomplete("c")
                },
            ),
            (
                "stopped",
                ApplicationState {
                    stopped: true,
                    ..incomplete("s")
                },
            ),
            (
                "no deadline",
                ApplicationState {
                    deadline: None,
                    ..incomplete("n")
                },
            ),
            (
                "already sent",
                ApplicationState {
                    sent: vec![72],
                    ..incomplete("x")
                },
            ),
        ];
        for (why, app) in cases {
            assert!(
                due_reminders(&[app], &DEFAULT_HOURS, at(70)).is_empty(),
                "{why}"
            );
        }
    }

    #[test]
    fn after_the_deadline_nothing_is_sent() {
        assert!(due_reminders(&[incomplete("a")], &DEFAULT_HOURS, at(0)).is_empty());
        assert!(due_reminders(&[incomplete("a")], &DEFAULT_HOURS, at(-5)).is_empty());
    }

    #[test]
    fn a_late_applicant_gets_only_the_nearest_reminder_and_never_a_farther_one_after_it() {
        let mut app = incomplete("late");
        assert_eq!(
            sent_offsets(std::slice::from_ref(&app), at(20)),
            vec![("late".into(), 24)]
        );
        app.sent.push(24);
        assert!(sent_offsets(std::slice::from_ref(&app), at(10)).is_empty());
    }

    #[test]
    fn an_extension_moves_the_reminders_with_the_candidates_own_deadline() {
        let extended = ApplicationState {
            deadline: Some(deadline() + Duration::days(7)),
            sent: vec![72],
            ..incomplete("e")
        };
        // 24 h before the vacancy's deadline is 7 days before the candidate's own: nothing.
        assert!(sent_offsets(std::slice::from_ref(&extended), at(24)).is_empty());
        let own_72 = deadline() + Duration::days(7) - Duration::hours(72);
        // The 72 h reminder was sent for the old deadline; it is not sent again.
        assert!(sent_offsets(std::slice::from_ref(&extended), own_72).is_empty());
        let own_24 = deadline() + Duration::days(7) - Duration::hours(24);
        assert_eq!(
            sent_offsets(std::slice::from_ref(&extended), own_24),
            vec![("e".into(), 24)]
        );
    }

    #[test]
    fn the_plan_counts_what_is_ahead_per_offset() {
        let apps = vec![
            incomplete("a"),
            incomplete("b"),
            ApplicationState {
                sent: vec![72],
                ..incomplete("c")
            },
            ApplicationState {
                stopped: true,
                ..incomplete("d")
            },
        ];
        let planned = plan(&apps, &DEFAULT_HOURS, at(100));
        assert_eq!(
            planned,
            vec![
                PlannedReminder {
                    offset_hours: 72,
                    at: at(72),
                    candidates: 2
                },
                PlannedReminder {
                    offset_hours: 24,
                    at: at(24),
                    candidates: 3
                },
            ]
        );
    }

    #[test]
    fn offsets_are_checked_and_ordered() {
        assert_eq!(validate_hours(&[24, 72, 24]).unwrap(), vec![72, 24]);
        assert!(validate_hours(&[0]).is_err());
        assert!(validate_hours(&[721]).is_err());
        assert!(validate_hours(&[1, 2, 3, 4, 5, 6]).is_err());
        assert!(validate_hours(&[]).unwrap().is_empty());
    }
}
