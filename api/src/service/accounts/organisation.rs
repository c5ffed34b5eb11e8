//! A staff account from the organisation's verified word (see [`crate::service::oidc`]).
//!
//! Who is who: an account is bound to the provider's (issuer, subject) at its first sign-in, and
//! found by that binding afterwards, whatever the email then says. The first sign-in finds the
//! account by the token's verified email, or creates a staff account without a password when
//! there is none. An email that belongs to a candidate is refused: a candidate's account never
//! becomes staff because an identity provider says so. The role is the staff claim's at every
//! sign-in, so a change of group at the provider takes effect at the next one.

use chrono::{DateTime, Utc};
use policy::Lang;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use entity::{accounts, external_identities};

use super::{find_by_email, insert_account, LoggedIn};
use crate::configuration::Settings;
use crate::domain::{EmailAddress, FullName, Role};
use crate::service::audit::{self, Actor};
use crate::service::oidc::{Refusal, VerifiedIdentity};
use crate::service::sessions;
use crate::service::tokens::digest;

/// Signs the person in: the same session as a password login (the browser's previous one
/// revoked), audited as `login.success` with the method. Refusals are audited as `login.failure`.
pub async fn organisation_sign_in(
    db: &DatabaseConnection,
    settings: &Settings,
    identity: &VerifiedIdentity,
    staff_claim: &str,
    previous_session: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<LoggedIn, Refusal> {
    match sign_in(
        db,
        settings,
        identity,
        staff_claim,
        previous_session,
        actor,
        now,
    )
    .await
    {
        Ok(logged_in) => Ok(logged_in),
        Err(refusal) => {
            audit_refusal(db, identity, &refusal, actor, now).await;
            Err(refusal)
        }
    }
}

/// Records a refused sign-in; one that cannot be recorded is logged instead.
pub async fn audit_refusal(
    db: &DatabaseConnection,
    identity: &VerifiedIdentity,
    refusal: &Refusal,
    actor: &Actor,
    now: DateTime<Utc>,
) {
    let detail = json!({
        "method": "organisation",
        "reason": refusal.slug(),
        "issuer": identity.issuer,
        "subject": identity.subject,
    });
    let recorded = audit::record(
        db,
        actor,
        "login.failure",
        identity.email.as_deref(),
        detail,
        now,
    )
    .await;
    if let Err(error) = recorded {
        tracing::warn!(%error, "a refused organisation sign-in could not be audited");
    }
}

async fn sign_in(
    db: &DatabaseConnection,
    settings: &Settings,
    identity: &VerifiedIdentity,
    staff_claim: &str,
    previous_session: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<LoggedIn, Refusal> {
    let role = identity.role.ok_or_else(|| Refusal::NoStaffRole {
        claim: staff_claim.to_owned(),
    })?;
    let txn = crate::database::begin_write(db).await?;
    let bound = external_identities::Entity::find_by_id((
        identity.issuer.clone(),
        identity.subject.clone(),
    ))
    .one(&txn)
    .await?;
    let mut created = false;
    let account = match &bound {
        Some(binding) => accounts::Entity::find_by_id(binding.account_id.clone())
            .one(&txn)
            .await?
            .ok_or(Refusal::Disabled)?,
        None => {
            let email = identity
                .email
                .as_deref()
                .and_then(|e| EmailAddress::parse(e).ok())
                .ok_or(Refusal::NoEmail)?;
            match find_by_email(&txn, email.as_str()).await? {
                Some(account) => {
                    let bound_to_another = external_identities::Entity::find()
                        .filter(external_identities::Column::AccountId.eq(account.id.as_str()))
                        .filter(external_identities::Column::Issuer.eq(identity.issuer.as_str()))
                        .one(&txn)
                        .await?;
                    if bound_to_another.is_some() {
                        return Err(Refusal::BoundToAnother);
                    }
                    account
                }
                None => {
                    created = true;
                    let name = identity
                        .name
                        .as_deref()
                        .and_then(|n| FullName::parse(n).ok())
                        .or_else(|| FullName::parse(email.as_str()).ok())
                        .ok_or(Refusal::NoEmail)?;
                    // English until they choose on /account, like accounts made before
                    // accounts had a language.
                    insert_account(&txn, &email, &name, None, role, None, Lang::En, now).await?
                }
            }
        }
    };
    if account.disabled {
        return Err(Refusal::Disabled);
    }
    if account.role == Role::Candidate.as_str() {
        return Err(Refusal::CandidateAccount);
    }
    let actor = Actor {
        account_id: Some(account.id.clone()),
        ..actor.clone()
    };
    if created {
        audit::record(
            &txn,
            &actor,
            "account.created",
            Some(&account.email),
            json!({ "role": role, "via": "organisation sign-in", "issuer": identity.issuer }),
            now,
        )
        .await?;
    }
    let account = if account.role != role.as_str() {
        let from = account.role.clone();
        let mut active: accounts::ActiveModel = account.into();
        active.role = Set(role.as_str().to_owned());
        let account = active.update(&txn).await?;
        audit::record(
            &txn,
            &actor,
            "account.role_changed",
            Some(&account.email),
            json!({ "from": from, "to": role, "via": "organisation sign-in" }),
            now,
        )
        .await?;
        account
    } else {
        account
    };
    match bound {
        Some(binding) => {
            let mut active: external_identities::ActiveModel = binding.into();
            active.last_sign_in_at = Set(now);
            active.update(&txn).await?;
        }
        None => {
            external_identities::Entity::insert(external_identities::ActiveModel {
                issuer: Set(identity.issuer.clone()),
                subject: Set(identity.subject.clone()),
                account_id: Set(account.id.clone()),
                created_at: Set(now),
                last_sign_in_at: Set(now),
            })
            .exec(&txn)
            .await?;
        }
    }
    // Rotation, as at a password login: the browser's session from before never becomes this one.
    if let Some(previous) = previous_session {
        sessions::revoke(&txn, &digest(previous), now).await?;
    }
    let session = sessions::create(&txn, &account.id, settings, now).await?;
    audit::record(
        &txn,
        &actor,
        "login.success",
        Some(&account.email),
        json!({ "method": "organisation", "issuer": identity.issuer, "role": role }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(LoggedIn {
        account: account.into(),
        session,
    })
}
