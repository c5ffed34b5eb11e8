//! Vacancies: what candidates see, and what admins configure.

mod documents;
mod extensions;
mod panel;
mod stats;

use chrono::{DateTime, Utc};
use policy::{AcceptedFormat, EligibilityStatement, Lang, Localized, VacancyRules};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::vacancies;

use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::reminders;

use documents::document_view;
pub use documents::DocumentView;
pub use extensions::{extension_for, grant_extension};
pub use panel::{panel_of, PanelSeat};
pub use stats::{application_ids_of, counts, RuleCount, VacancyCounts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VacancyStatus {
    Draft,
    Open,
    Closed,
}

impl VacancyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VacancyStatus::Draft => "draft",
            VacancyStatus::Open => "open",
            VacancyStatus::Closed => "closed",
        }
    }

    fn parse(raw: &str) -> Self {
        match raw {
            "open" => VacancyStatus::Open,
            "closed" => VacancyStatus::Closed,
            _ => VacancyStatus::Draft,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocalizedText {
    pub en: String,
    pub fr: String,
}

impl From<Localized> for LocalizedText {
    fn from(text: Localized) -> Self {
        Self {
            en: text.en,
            fr: text.fr,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EligibilityView {
    pub id: String,
    pub text: LocalizedText,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancySummary {
    pub reference: String,
    pub title_en: String,
    pub title_fr: String,
    pub status: VacancyStatus,
    pub deadline: Option<DateTime<Utc>>,
    pub time_zone: String,
    pub deadline_display: Option<LocalizedText>,
    pub posts: Vec<String>,
    pub documents: Vec<DocumentView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyDetail {
    #[serde(flatten)]
    pub summary: VacancySummary,
    pub key_challenges: Vec<String>,
    pub notice_text: String,
    pub eligibility: Vec<EligibilityView>,
}

/// A vacancy row with its JSON columns decoded.
#[derive(Debug, Clone)]
pub struct Vacancy {
    pub model: vacancies::Model,
    pub rules: VacancyRules,
    pub posts: Vec<String>,
    pub key_challenges: Vec<String>,
}

impl Vacancy {
    pub fn decode(model: vacancies::Model) -> Result<Self, ApiError> {
        let rules: VacancyRules = serde_json::from_str(&model.rules).map_err(ApiError::internal)?;
        let posts = serde_json::from_str(&model.posts).map_err(ApiError::internal)?;
        let key_challenges =
            serde_json::from_str(&model.key_challenges).map_err(ApiError::internal)?;
        Ok(Self {
            model,
            rules,
            posts,
            key_challenges,
        })
    }

    pub fn status(&self) -> VacancyStatus {
        VacancyStatus::parse(&self.model.status)
    }

    /// Hours before a candidate's own deadline at which an incomplete application is reminded.
    pub fn reminder_hours(&self) -> Vec<u32> {
        serde_json::from_str(&self.model.reminder_hours)
            .unwrap_or_else(|_| crate::service::reminders::DEFAULT_HOURS.to_vec())
    }

    pub fn deadline_display(&self, deadline: Option<DateTime<Utc>>) -> Option<LocalizedText> {
        deadline.map(|d| LocalizedText {
            en: policy::format_deadline(d, self.rules.time_zone, Lang::En),
            fr: policy::format_deadline(d, self.rules.time_zone, Lang::Fr),
        })
    }

    pub fn summary(&self) -> VacancySummary {
        VacancySummary {
            reference: self.model.reference.clone(),
            title_en: self.model.title_en.clone(),
            title_fr: self.model.title_fr.clone(),
            status: self.status(),
            deadline: self.rules.deadline,
            time_zone: self.rules.time_zone.name().to_owned(),
            deadline_display: self.deadline_display(self.rules.deadline),
            posts: self.posts.clone(),
            documents: self
                .rules
                .documents
                .iter()
                .map(|d| document_view(&self.rules.reference, d))
                .collect(),
        }
    }

    pub fn detail(&self) -> VacancyDetail {
        VacancyDetail {
            summary: self.summary(),
            key_challenges: self.key_challenges.clone(),
            notice_text: self.model.notice_text.clone(),
            eligibility: self
                .rules
                .eligibility
                .iter()
                .map(|statement| EligibilityView {
                    id: eligibility_id(*statement),
                    text: statement.text().into(),
                })
                .collect(),
        }
    }
}

pub fn eligibility_id(statement: EligibilityStatement) -> String {
    serde_json::to_value(statement)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Vacancies candidates may see: open and closed ones, never drafts.
pub async fn list_public(db: &impl ConnectionTrait) -> Result<Vec<Vacancy>, ApiError> {
    vacancies::Entity::find()
        .filter(vacancies::Column::Status.ne(VacancyStatus::Draft.as_str()))
        .order_by_asc(vacancies::Column::Reference)
        .all(db)
        .await?
        .into_iter()
        .map(Vacancy::decode)
        .collect()
}

pub async fn list_all(db: &impl ConnectionTrait) -> Result<Vec<Vacancy>, ApiError> {
    vacancies::Entity::find()
        .order_by_asc(vacancies::Column::Reference)
        .all(db)
        .await?
        .into_iter()
        .map(Vacancy::decode)
        .collect()
}

pub async fn find_by_reference(
    db: &impl ConnectionTrait,
    reference: &str,
) -> Result<Vacancy, ApiError> {
    let model = vacancies::Entity::find()
        .filter(vacancies::Column::Reference.eq(reference))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("vacancy"))?;
    Vacancy::decode(model)
}

pub async fn find_public(db: &impl ConnectionTrait, reference: &str) -> Result<Vacancy, ApiError> {
    let vacancy = find_by_reference(db, reference).await?;
    if vacancy.status() == VacancyStatus::Draft {
        return Err(ApiError::NotFound("vacancy"));
    }
    Ok(vacancy)
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Vacancy, ApiError> {
    let model = vacancies::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("vacancy"))?;
    Vacancy::decode(model)
}

/// What an admin sends to create or replace a vacancy.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VacancyInput {
    pub reference: String,
    pub title_en: String,
    pub title_fr: String,
    #[serde(default)]
    pub notice_text: String,
    #[serde(default)]
    pub key_challenges: Vec<String>,
    #[serde(default)]
    pub posts: Vec<String>,
    pub status: VacancyStatus,
    pub opens_at: Option<DateTime<Utc>>,
    /// The rules, as `policy::VacancyRules` (deadline, time_zone, grace_seconds, documents, eligibility).
    #[schema(value_type = Object)]
    pub rules: serde_json::Value,
    #[serde(default)]
    pub assessors_see_before_deadline: bool,
    /// The admin's word that a vacancy whose deadline has passed is published on purpose (it
    /// takes no application). Without it such a publication is refused with
    /// `/problems/deadline-in-past`: an import once published a past deadline without a word.
    #[serde(default)]
    pub publish_past_deadline: bool,
    /// Hours before each candidate's own deadline at which incomplete applications are
    /// reminded (at most 5, each 1 to 720). Absent: 72 and 24 for a new vacancy, unchanged for
    /// an existing one; empty: no reminders.
    #[serde(default)]
    pub reminder_hours: Option<Vec<u32>>,
}

impl VacancyInput {
    /// The input with every text free of control characters (see [`crate::domain::text`]).
    fn plain(mut self) -> Self {
        use crate::domain::text::{plain, plain_json};
        for field in [
            &mut self.reference,
            &mut self.title_en,
            &mut self.title_fr,
            &mut self.notice_text,
        ] {
            *field = plain(field);
        }
        for list in [&mut self.key_challenges, &mut self.posts] {
            for item in list.iter_mut() {
                *item = plain(item);
            }
        }
        plain_json(&mut self.rules);
        self
    }
}

fn validate(input: &VacancyInput) -> Result<VacancyRules, ApiError> {
    let reference = input.reference.trim();
    if reference.is_empty()
        || reference.len() > 64
        || !reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ApiError::Validation(
            "the reference must be 1 to 64 letters, digits, '-' or '_'".into(),
        ));
    }
    if input.title_en.trim().is_empty() || input.title_fr.trim().is_empty() {
        return Err(ApiError::Validation(
            "give the title in English and French".into(),
        ));
    }
    let mut rules: VacancyRules = serde_json::from_value(input.rules.clone())
        .map_err(|e| ApiError::Validation(format!("the rules are not valid: {e}")))?;
    rules.reference = reference.to_owned();
    let mut kinds = std::collections::HashSet::new();
    for document in &rules.documents {
        if !kinds.insert(document.kind.as_str()) {
            return Err(ApiError::Validation(format!(
                "the document '{}' is listed twice",
                document.kind
            )));
        }
        if document.max_pages == Some(0) {
            return Err(ApiError::Validation(
                "a page limit must be at least 1".into(),
            ));
        }
        if document.formats.contains(&AcceptedFormat::Doc) && document.max_pages.is_some() {
            tracing::debug!("legacy .doc accepted with a page limit: the count is metadata only");
        }
    }
    Ok(rules)
}

/// Publishing (becoming open) with a deadline already past needs the admin's explicit word.
fn check_publication(
    input: &VacancyInput,
    rules: &VacancyRules,
    was_open: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let publishing = input.status == VacancyStatus::Open && !was_open;
    match rules.deadline {
        Some(deadline) if publishing && deadline <= now && !input.publish_past_deadline => {
            let mut extensions = serde_json::Map::new();
            extensions.insert("deadline".into(), json!(deadline));
            Err(ApiError::Rejected {
                problem_type: "deadline-in-past",
                status: actix_web::http::StatusCode::CONFLICT,
                detail: format!(
                    "the deadline {} has already passed, so the published vacancy would take no application; \
                     set a later deadline, or publish anyway with \"publish_past_deadline\": true",
                    deadline.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
                extensions,
            })
        }
        _ => Ok(()),
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    input: VacancyInput,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vacancy, ApiError> {
    let input = input.plain();
    let rules = validate(&input)?;
    let reminder_hours = reminders::validate_hours(
        input
            .reminder_hours
            .as_deref()
            .unwrap_or(&reminders::DEFAULT_HOURS),
    )?;
    if vacancies::Entity::find()
        .filter(vacancies::Column::Reference.eq(rules.reference.clone()))
        .one(db)
        .await?
        .is_some()
    {
        // The pages link to the vacancy that holds the reference.
        let mut extensions = serde_json::Map::new();
        extensions.insert("reference".into(), json!(rules.reference));
        return Err(ApiError::Rejected {
            problem_type: "vacancy-exists",
            status: actix_web::http::StatusCode::CONFLICT,
            detail: format!(
                "a vacancy {} already exists; open it to change it, or give this one another reference",
                rules.reference
            ),
            extensions,
        });
    }
    check_publication(&input, &rules, false, now)?;
    let model = vacancies::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        reference: Set(rules.reference.clone()),
        title_en: Set(input.title_en.trim().to_owned()),
        title_fr: Set(input.title_fr.trim().to_owned()),
        notice_text: Set(input.notice_text),
        key_challenges: Set(json!(input.key_challenges).to_string()),
        posts: Set(json!(input.posts).to_string()),
        status: Set(input.status.as_str().to_owned()),
        opens_at: Set(input.opens_at),
        rules: Set(serde_json::to_string(&rules).map_err(ApiError::internal)?),
        assessors_see_before_deadline: Set(input.assessors_see_before_deadline),
        reminder_hours: Set(json!(reminder_hours).to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "vacancy.created",
        Some(&model.reference),
        json!({}),
        now,
    )
    .await?;
    let vacancy = Vacancy::decode(model)?;
    status_events(db, None, &vacancy, now).await?;
    Ok(vacancy)
}

pub async fn update(
    db: &impl ConnectionTrait,
    reference: &str,
    input: VacancyInput,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vacancy, ApiError> {
    let existing = find_by_reference(db, reference).await?;
    let input = input.plain();
    let mut rules = validate(&input)?;
    rules.reference = existing.model.reference.clone();
    check_publication(&input, &rules, existing.model.status == "open", now)?;
    let mut model: vacancies::ActiveModel = existing.model.clone().into();
    model.title_en = Set(input.title_en.trim().to_owned());
    model.title_fr = Set(input.title_fr.trim().to_owned());
    model.notice_text = Set(input.notice_text);
    model.key_challenges = Set(json!(input.key_challenges).to_string());
    model.posts = Set(json!(input.posts).to_string());
    model.status = Set(input.status.as_str().to_owned());
    model.opens_at = Set(input.opens_at);
    model.rules = Set(serde_json::to_string(&rules).map_err(ApiError::internal)?);
    model.assessors_see_before_deadline = Set(input.assessors_see_before_deadline);
    if let Some(hours) = &input.reminder_hours {
        model.reminder_hours = Set(json!(reminders::validate_hours(hours)?).to_string());
    }
    model.updated_at = Set(now);
    let updated = model.update(db).await?;
    audit::record(
        db,
        actor,
        "vacancy.updated",
        Some(&updated.reference),
        json!({ "status": updated.status }),
        now,
    )
    .await?;
    let vacancy = Vacancy::decode(updated)?;
    status_events(db, Some(existing.status()), &vacancy, now).await?;
    Ok(vacancy)
}

/// `vacancy.published` when a vacancy becomes open, `vacancy.closed` when it becomes closed, for
/// webhooks.
async fn status_events(
    db: &impl ConnectionTrait,
    before: Option<VacancyStatus>,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    use crate::service::integrations::events::{self, EventType};
    let after = vacancy.status();
    let event_type = match after {
        _ if before == Some(after) => return Ok(()),
        VacancyStatus::Open => EventType::VacancyPublished,
        VacancyStatus::Closed => EventType::VacancyClosed,
        VacancyStatus::Draft => return Ok(()),
    };
    let data = events::vacancy_data(
        &vacancy.model.reference,
        after.as_str(),
        vacancy.rules.deadline,
    );
    events::emit(db, event_type, data, None, now).await
}
