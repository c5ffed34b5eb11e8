//! A candidate's applications: applying (eligibility affirmed), seeing them with every document
//! version, withdrawing.

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use entity::{accounts, applications, document_versions, upload_attempts};

use super::deadlines::{deadline_passed, may_begin, own_deadline_with};
use super::versions::{version_view, VersionView};
use crate::domain::Nationality;
use crate::error::ApiError;
use crate::service::audit::{self, Actor};
use crate::service::vacancies::{self, LocalizedText, Vacancy};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationDocumentView {
    pub kind: String,
    pub title_en: String,
    pub title_fr: String,
    pub current: Option<VersionView>,
    pub versions: Vec<VersionView>,
    /// Refused attempts still kept (`refused_attempts_per_document`), newest first, each with its
    /// checklist: the fix stays findable after a reload or a change of language.
    pub refused: Vec<RefusedAttemptView>,
}

/// An upload that was checked and refused: nothing of the file is kept but its name, size,
/// digest and checklist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefusedAttemptView {
    pub at: DateTime<Utc>,
    /// None for attempts recorded before names were kept.
    pub original_filename: Option<String>,
    pub size_bytes: i64,
    #[schema(value_type = Object)]
    pub verdict: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: String,
    pub reference: String,
    pub title_en: String,
    pub title_fr: String,
    pub status: String,
    pub posts: Vec<String>,
    /// This candidate's deadline (their extension, if any).
    pub deadline: Option<DateTime<Utc>>,
    pub deadline_display: Option<LocalizedText>,
    /// True when an extension granted to this candidate moved their deadline.
    pub extended: bool,
    /// True once the deadline has passed or the application was withdrawn.
    pub read_only: bool,
    /// When the candidate withdrew it (status `withdrawn`).
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Active, but a document has no accepted version yet: the application is incomplete.
    pub incomplete: bool,
    /// The kinds of the documents that have no accepted version yet.
    pub missing: Vec<String>,
    /// The candidate stopped reminder mails for this application.
    pub reminders_stopped: bool,
    pub documents: Vec<ApplicationDocumentView>,
    /// Versions each document keeps (`versions_per_document`): an upload beyond it deletes the
    /// oldest replaced versions.
    pub versions_kept: u32,
}

async fn build_view(
    db: &impl ConnectionTrait,
    application: &applications::Model,
    vacancy: &Vacancy,
    versions_kept: u32,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let extension =
        vacancies::extension_for(db, &vacancy.model.id, &application.candidate_id).await?;
    let versions = document_versions::Entity::find()
        .filter(document_versions::Column::ApplicationId.eq(application.id.clone()))
        .order_by_desc(document_versions::Column::Version)
        .all(db)
        .await?;
    let refused = upload_attempts::Entity::find()
        .filter(upload_attempts::Column::ApplicationId.eq(application.id.clone()))
        .filter(upload_attempts::Column::Accepted.eq(false))
        .order_by_desc(upload_attempts::Column::Id)
        .all(db)
        .await?;
    let documents = vacancy
        .rules
        .documents
        .iter()
        .map(|rules| {
            let of_kind: Vec<&document_versions::Model> = versions
                .iter()
                .filter(|v| v.document_kind == rules.kind)
                .collect();
            ApplicationDocumentView {
                kind: rules.kind.clone(),
                title_en: rules.title_en.clone(),
                title_fr: rules.title_fr.clone(),
                current: of_kind
                    .iter()
                    .find(|v| v.is_current)
                    .map(|v| version_view(v)),
                versions: of_kind.iter().map(|v| version_view(v)).collect(),
                refused: refused
                    .iter()
                    .filter(|a| a.document_kind == rules.kind)
                    .map(|a| RefusedAttemptView {
                        at: a.at,
                        original_filename: a.original_filename.clone(),
                        size_bytes: a.size_bytes,
                        verdict: serde_json::from_str(&a.verdict)
                            .unwrap_or(serde_json::Value::Null),
                    })
                    .collect(),
            }
        })
        .collect::<Vec<ApplicationDocumentView>>();
    let own = own_deadline_with(vacancy, extension, now);
    let deadline = own.deadline;
    let missing: Vec<String> = documents
        .iter()
        .filter(|d| d.current.is_none())
        .map(|d| d.kind.clone())
        .collect();
    let active = application.status == "active";
    Ok(ApplicationView {
        id: application.id.clone(),
        reference: vacancy.model.reference.clone(),
        title_en: vacancy.model.title_en.clone(),
        title_fr: vacancy.model.title_fr.clone(),
        status: application.status.clone(),
        posts: serde_json::from_str(&application.posts).unwrap_or_default(),
        deadline,
        deadline_display: own.deadline_display,
        extended: own.extended,
        read_only: !active || !own.open,
        withdrawn_at: application.withdrawn_at,
        incomplete: active && !missing.is_empty(),
        missing,
        reminders_stopped: application.reminders_stopped_at.is_some(),
        documents,
        versions_kept,
    })
}

fn anon_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let code: String = (0..5)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("C-{code}")
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ApplyInput {
    /// The posts applied for, when the vacancy has several.
    #[serde(default)]
    pub posts: Vec<String>,
    /// The ids of the eligibility statements the candidate affirms; all are required.
    #[serde(default)]
    pub affirmations: Vec<String>,
}

pub async fn apply(
    db: &DatabaseConnection,
    candidate: &accounts::Model,
    reference: &str,
    input: ApplyInput,
    actor: &Actor,
    versions_kept: u32,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let vacancy = vacancies::find_public(db, reference).await?;
    let extension = vacancies::extension_for(db, &vacancy.model.id, &candidate.id).await?;
    if !may_begin(&vacancy, extension, now) {
        return Err(deadline_passed(&vacancy, extension));
    }
    let posts = chosen_posts(&vacancy, &input)?;
    check_eligibility(&vacancy, candidate, &input)?;
    let txn = crate::database::begin_write(db).await?;
    let existing = applications::Entity::find()
        .filter(applications::Column::VacancyId.eq(vacancy.model.id.clone()))
        .filter(applications::Column::CandidateId.eq(candidate.id.clone()))
        .one(&txn)
        .await?;
    let application = match existing {
        Some(existing) if existing.status == "active" => {
            return Err(ApiError::Conflict(
                "you have already applied for this vacancy".into(),
            ))
        }
        Some(withdrawn) => {
            let mut active: applications::ActiveModel = withdrawn.into();
            active.status = Set("active".into());
            active.withdrawn_at = Set(None);
            active.posts = Set(json!(posts).to_string());
            active.affirmations = Set(json!(input.affirmations).to_string());
            active.update(&txn).await?
        }
        None => {
            applications::ActiveModel {
                id: Set(uuid::Uuid::new_v4().to_string()),
                vacancy_id: Set(vacancy.model.id.clone()),
                candidate_id: Set(candidate.id.clone()),
                posts: Set(json!(posts).to_string()),
                affirmations: Set(json!(input.affirmations).to_string()),
                anon_code: Set(anon_code()),
                status: Set("active".into()),
                created_at: Set(now),
                withdrawn_at: Set(None),
                reminders_stopped_at: Set(None),
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        actor,
        "application.created",
        Some(&vacancy.model.reference),
        json!({ "application_id": application.id }),
        now,
    )
    .await?;
    txn.commit().await?;
    build_view(db, &application, &vacancy, versions_kept, now).await
}

/// The posts applied for: those chosen, when the vacancy has several; else the only one.
fn chosen_posts(vacancy: &Vacancy, input: &ApplyInput) -> Result<Vec<String>, ApiError> {
    Ok(if vacancy.posts.len() > 1 {
        if input.posts.is_empty() {
            return Err(ApiError::Validation(
                "choose at least one post to apply for".into(),
            ));
        }
        if let Some(unknown) = input.posts.iter().find(|p| !vacancy.posts.contains(p)) {
            return Err(ApiError::Validation(format!(
                "'{unknown}' is not a post of this vacancy"
            )));
        }
        input.posts.clone()
    } else {
        vacancy.posts.clone()
    })
}

/// Every eligibility statement must be affirmed, and the nationality one must also be true of
/// the account.
fn check_eligibility(
    vacancy: &Vacancy,
    candidate: &accounts::Model,
    input: &ApplyInput,
) -> Result<(), ApiError> {
    for statement in &vacancy.rules.eligibility {
        let id = vacancies::eligibility_id(*statement);
        if !input.affirmations.contains(&id) {
            return Err(ApiError::Validation(format!(
                "please affirm: {}",
                statement.text().en
            )));
        }
        if *statement == policy::EligibilityStatement::MemberStateNational {
            let national = candidate
                .nationality
                .as_deref()
                .and_then(|n| Nationality::parse(n).ok())
                .is_some_and(|n| n.is_member_state());
            if !national {
                return Err(ApiError::Forbidden(
                    "this vacancy is open to nationals of member states only; your account gives another nationality".into(),
                ));
            }
        }
    }
    Ok(())
}

/// The candidate's own application, or 404: another candidate's is indistinguishable from none.
pub(super) async fn own_application(
    db: &impl ConnectionTrait,
    candidate_id: &str,
    application_id: &str,
) -> Result<(applications::Model, Vacancy), ApiError> {
    // One query for both: every upload starts here.
    let vacancy_of_application: sea_orm::RelationDef =
        applications::Entity::belongs_to(entity::vacancies::Entity)
            .from(applications::Column::VacancyId)
            .to(entity::vacancies::Column::Id)
            .into();
    let (application, vacancy) = applications::Entity::find_by_id(application_id.to_owned())
        .join(sea_orm::JoinType::InnerJoin, vacancy_of_application)
        .select_also(entity::vacancies::Entity)
        .one(db)
        .await?
        .filter(|(a, _)| a.candidate_id == candidate_id)
        .ok_or(ApiError::NotFound("application"))?;
    let vacancy = vacancy.ok_or(ApiError::NotFound("vacancy"))?;
    Ok((application, Vacancy::decode(vacancy)?))
}

/// What an upload needs to know before its body is read, in one query: the candidate's own
/// application with its vacancy, the candidate's extension, the version a retry with this
/// idempotency key stored, and the number of the document's newest version. Every upload of a
/// rush starts here, and each query is two hand-offs between threads on SQLite.
pub(super) struct UploadContext {
    pub(super) application: applications::Model,
    pub(super) vacancy: Vacancy,
    pub(super) extension: Option<DateTime<Utc>>,
    pub(super) stored_under_key: Option<String>,
    pub(super) latest_version: Option<i32>,
    /// The SHA-256 of the document's current version, to tell a candidate who sends the same
    /// file again that nothing changed rather than "accepted".
    pub(super) current_sha256: Option<String>,
}

pub(super) async fn upload_context(
    db: &impl ConnectionTrait,
    candidate_id: &str,
    application_id: &str,
    kind: &str,
    idempotency_key: Option<&str>,
) -> Result<UploadContext, ApiError> {
    use entity::{extensions, vacancies};
    use sea_orm::sea_query::{
        Expr, ExprTrait, Func, Query, QueryStatementBuilder, SelectStatement,
    };
    use sea_orm::{FromQueryResult, QueryTrait};
    let scalar =
        |select: SelectStatement| Expr::SubQuery(None, Box::new(select.into_sub_query_statement()));
    let versions = document_versions::Entity;
    let of_this_document = || {
        Expr::col((versions, document_versions::Column::ApplicationId))
            .equals((applications::Entity, applications::Column::Id))
            .and(Expr::col((versions, document_versions::Column::DocumentKind)).eq(kind))
    };
    let extension = Query::select()
        .column((extensions::Entity, extensions::Column::Deadline))
        .from(extensions::Entity)
        .and_where(
            Expr::col((extensions::Entity, extensions::Column::VacancyId))
                .equals((vacancies::Entity, vacancies::Column::Id)),
        )
        .and_where(Expr::col((extensions::Entity, extensions::Column::AccountId)).eq(candidate_id))
        .to_owned();
    let stored_under_key = Query::select()
        .column((versions, document_versions::Column::Id))
        .from(versions)
        .and_where(of_this_document())
        .and_where(
            Expr::col((versions, document_versions::Column::IdempotencyKey)).eq(idempotency_key),
        )
        .to_owned();
    let latest_version = Query::select()
        .expr(Func::max(Expr::col((
            versions,
            document_versions::Column::Version,
        ))))
        .from(versions)
        .and_where(of_this_document())
        .to_owned();
    // The current version is always the newest: read backwards along the (application,
    // document, version) index it is the first row, where a filter on `is_current` alone read
    // every version of the document (a rush's server CPU per upload grew with them).
    let current_sha256 = Query::select()
        .column((versions, document_versions::Column::BlobSha256))
        .from(versions)
        .and_where(of_this_document())
        .and_where(Expr::col((versions, document_versions::Column::IsCurrent)).eq(true))
        .order_by(
            (versions, document_versions::Column::Version),
            sea_orm::sea_query::Order::Desc,
        )
        .limit(1)
        .to_owned();
    let backend = db.get_database_backend();
    let sqlite = backend == sea_orm::DatabaseBackend::Sqlite;
    let vacancy_of_application: sea_orm::RelationDef =
        applications::Entity::belongs_to(vacancies::Entity)
            .from(applications::Column::VacancyId)
            .to(vacancies::Column::Id)
            .into();
    let query = applications::Entity::find_by_id(application_id.to_owned())
        .join(sea_orm::JoinType::InnerJoin, vacancy_of_application)
        .select_also(vacancies::Entity)
        .expr_as(scalar(extension), "extension_deadline")
        .expr_as(scalar(stored_under_key), "stored_under_key")
        .expr_as(scalar(current_sha256), "current_sha256")
        // PostgreSQL reads the number under the application's row lock instead.
        .apply_if(sqlite.then_some(latest_version), |query, latest| {
            query.expr_as(scalar(latest), "latest_version")
        })
        .build(backend);
    let row = db
        .query_one_raw(query)
        .await?
        .ok_or(ApiError::NotFound("application"))?;
    let application = applications::Model::from_query_result(&row, "A_")?;
    if application.candidate_id != candidate_id {
        return Err(ApiError::NotFound("application"));
    }
    let vacancy = vacancies::Model::from_query_result(&row, "B_")?;
    Ok(UploadContext {
        application,
        vacancy: Vacancy::decode(vacancy)?,
        extension: row.try_get("", "extension_deadline")?,
        stored_under_key: row.try_get("", "stored_under_key")?,
        latest_version: if sqlite {
            row.try_get("", "latest_version")?
        } else {
            None
        },
        current_sha256: row.try_get("", "current_sha256")?,
    })
}

pub async fn list_own(
    db: &DatabaseConnection,
    candidate_id: &str,
    versions_kept: u32,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationView>, ApiError> {
    let rows = applications::Entity::find()
        .filter(applications::Column::CandidateId.eq(candidate_id))
        .order_by_desc(applications::Column::CreatedAt)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for application in rows {
        let vacancy = vacancies::find_by_id(db, &application.vacancy_id).await?;
        views.push(build_view(db, &application, &vacancy, versions_kept, now).await?);
    }
    Ok(views)
}

pub async fn get_own(
    db: &DatabaseConnection,
    candidate_id: &str,
    application_id: &str,
    versions_kept: u32,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let (application, vacancy) = own_application(db, candidate_id, application_id).await?;
    build_view(db, &application, &vacancy, versions_kept, now).await
}

pub async fn withdraw(
    db: &DatabaseConnection,
    candidate_id: &str,
    application_id: &str,
    actor: &Actor,
    versions_kept: u32,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApiError> {
    let (application, vacancy) = own_application(db, candidate_id, application_id).await?;
    let extension = vacancies::extension_for(db, &vacancy.model.id, candidate_id).await?;
    if !may_begin(&vacancy, extension, now) {
        return Err(deadline_passed(&vacancy, extension));
    }
    if application.status != "active" {
        return Err(ApiError::Conflict(
            "this application is already withdrawn".into(),
        ));
    }
    let txn = crate::database::begin_write(db).await?;
    let mut active: applications::ActiveModel = application.into();
    active.status = Set("withdrawn".into());
    active.withdrawn_at = Set(Some(now));
    let application = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "application.withdrawn",
        Some(&vacancy.model.reference),
        json!({ "application_id": application.id }),
        now,
    )
    .await?;
    txn.commit().await?;
    build_view(db, &application, &vacancy, versions_kept, now).await
}
