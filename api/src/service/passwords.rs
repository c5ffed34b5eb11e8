//! Password hashing: argon2id with OWASP's parameters (m = 19 MiB, t = 2, p = 1), PHC strings.
//! Hashing is CPU-bound, so it runs on the blocking pool, never on a request's event loop.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::ApiError;

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn hasher() -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| ApiError::Internal(e.to_string().into()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_blocking(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::Internal(e.to_string().into()))
}

/// Hashes at once are capped: each takes 19 MiB and a core, so a burst must queue rather than
/// grow memory with the blocking pool's thread count or starve uploads of CPU. Logins have a
/// slot of their own: a flood of registrations or reset confirmations (new hashes) cannot keep
/// people from logging in.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
static LOGIN_HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

async fn on_pool<T: Send + 'static>(
    pool: &'static tokio::sync::Semaphore,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = pool.acquire().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)
}

async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    on_pool(&HASHING, work).await
}

pub async fn hash(password: String) -> Result<String, ApiError> {
    on_hashing_pool(move || hash_blocking(&password)).await?
}

/// Outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Wrong,
    Right,
    /// Right, but hashed with other parameters than today's: store a new hash.
    RightNeedsRehash,
}

/// A hash of a random password, checked when the email is unknown so that unknown emails
/// take as long as wrong passwords.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("not a real password, only for timing").unwrap_or_default())
}

pub async fn verify(password: String, stored: Option<String>) -> Result<Verification, ApiError> {
    on_hashing_pool(move || verify_blocking(&password, stored)).await?
}

/// [`verify`] in the login's own hashing slot.
pub async fn verify_login(
    password: String,
    stored: Option<String>,
) -> Result<Verification, ApiError> {
    on_pool(&LOGIN_HASHING, move || verify_blocking(&password, stored)).await?
}

fn verify_blocking(password: &str, stored: Option<String>) -> Result<Verification, ApiError> {
    {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return Ok(Verification::Wrong);
        };
        let argon = hasher()?;
        if argon.verify_password(password.as_bytes(), &parsed).is_err() || !known {
            return Ok(Verification::Wrong);
        }
        let current = Params::try_from(&parsed).ok();
        let up_to_date = parsed.algorithm.as_str() == "argon2id"
            && current.is_some_and(|p| {
                p.m_cost() == MEMORY_KIB && p.t_cost() == ITERATIONS && p.p_cost() == PARALLELISM
            });
        Ok(if up_to_date {
            Verification::Right
        } else {
            Verification::RightNeedsRehash
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("a long enough passphrase".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            verify("a long enough passphrase".into(), Some(stored.clone()))
                .await
                .unwrap(),
            Verification::Right
        );
        assert_eq!(
            verify("another passphrase".into(), Some(stored))
                .await
                .unwrap(),
            Verification::Wrong
        );
        assert_eq!(
            verify("anything".into(), None).await.unwrap(),
            Verification::Wrong
        );
    }

    #[tokio::test]
    async fn weaker_parameters_ask_for_a_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        )
        .hash_password(
            b"a long enough passphrase",
            &SaltString::generate(&mut OsRng),
        )
        .unwrap()
        .to_string();
        assert_eq!(
            verify("a long enough passphrase".into(), Some(weak))
                .await
                .unwrap(),
            Verification::RightNeedsRehash
        );
    }
}
