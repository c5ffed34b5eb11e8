//! Demo data for `serve --demo`: the five real notices as vacancies, and one account per role.
//!
//! The notices' deadlines are in the past, so on load each open demo vacancy's deadline is moved
//! to 14 days from now at the same time of day in Brussels; the notice text keeps the original.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::configuration::Settings;
use crate::domain::{EmailAddress, FullName, Nationality, Password, Role};
use crate::error::ApiError;
use crate::service::accounts;
use crate::service::audit::Actor;
use crate::service::tokens::random_token;
use crate::service::vacancies::{self, VacancyInput, VacancyStatus};

pub async fn load_if_empty(db: &DatabaseConnection, _settings: &Settings) -> Result<(), ApiError> {
    if entity::accounts::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let now = Utc::now();
    load_vacancies(db, now).await?;
    let mut lines = Vec::new();
    for (role, email, name) in [
        (Role::Admin, "admin@demo.essay-portal.test", "Demo Admin"),
        (
            Role::Assessor,
            "assessor@demo.essay-portal.test",
            "Demo Assessor",
        ),
        (
            Role::Candidate,
            "candidate@demo.essay-portal.test",
            "Demo Candidate",
        ),
    ] {
        // Random per start: demo credentials must not be the same on every machine.
        let password_text = format!("demo-{}", &random_token()[..16]);
        let password = Password::parse(&password_text).map_err(ApiError::Validation)?;
        let email = EmailAddress::parse(email).map_err(ApiError::Validation)?;
        let name = FullName::parse(name).map_err(ApiError::Validation)?;
        let nationality = Nationality::parse("BE").map_err(ApiError::Validation)?;
        accounts::create_with_password(db, &email, &name, Some(&nationality), role, &password, now)
            .await?;
        lines.push(format!(
            "  {:<9} {:<34} {}",
            role.as_str(),
            email.as_str(),
            password_text
        ));
    }
    // Printed, not logged: these are secrets, meant for the person who started the demo.
    println!(
        "Demo accounts (role, email, password):\n{}",
        lines.join("\n")
    );
    Ok(())
}

pub async fn load_vacancies(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<(), ApiError> {
    for demo in policy::demo_vacancies() {
        let mut rules = demo.rules.clone();
        let tz = rules.time_zone;
        let time_of_day = rules
            .deadline
            .map(|d| d.with_timezone(&tz).time())
            .unwrap_or_else(|| chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default());
        let day = (now + Duration::days(14)).with_timezone(&tz).date_naive();
        rules.deadline = policy::local_deadline_to_utc(day.and_time(time_of_day), tz).ok();
        let input = VacancyInput {
            reference: demo.reference.clone(),
            title_en: demo.title_en.clone(),
            title_fr: demo.title_fr.clone(),
            notice_text: demo.notice_text.to_owned(),
            key_challenges: demo.key_challenges.clone(),
            posts: demo.posts.clone(),
            status: VacancyStatus::Open,
            opens_at: Some(now),
            rules: serde_json::to_value(&rules).map_err(ApiError::internal)?,
            assessors_see_before_deadline: false,
            publish_past_deadline: false,
            reminder_hours: None,
        };
        vacancies::create(db, input, &Actor::default(), now).await?;
    }
    Ok(())
}
