//! What an account is made of, each part checked when it is made.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::ValidateEmail;

/// A lower-cased, trimmed, syntactically valid email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let normalised = raw.trim().to_lowercase();
        if normalised.len() > 254 || !normalised.validate_email() {
            return Err(format!("'{}' is not a valid email address", raw.trim()));
        }
        Ok(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as they want it shown: 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if name.is_empty() {
            return Err("enter your full name".to_owned());
        }
        if name.chars().count() > 200 {
            return Err("the name is longer than 200 characters".to_owned());
        }
        if name.chars().any(char::is_control) {
            return Err("the name contains control characters".to_owned());
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The 32 member states, by ISO 3166-1 alpha-2 code.
pub const MEMBER_STATES: [&str; 32] = [
    "AL", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IT", "LV",
    "LT", "LU", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "TR", "GB", "US",
];

/// A member state's code, or `OTHER` for anyone else (some vacancies require a member-state national).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nationality(String);

impl Nationality {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.trim().to_uppercase();
        if code == "OTHER" || MEMBER_STATES.contains(&code.as_str()) {
            Ok(Self(code))
        } else {
            Err(format!(
                "'{}' is not a member state code; choose one of the 32 member states or OTHER",
                raw.trim()
            ))
        }
    }

    pub fn is_member_state(&self) -> bool {
        self.0 != "OTHER"
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What an account may do. Each route's extractor names the one role it admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Candidate,
    Assessor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Assessor => "assessor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "candidate" => Ok(Role::Candidate),
            "assessor" => Ok(Role::Assessor),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "'{other}' is not a role (candidate, assessor, admin)"
            )),
        }
    }
}

pub const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_BYTES: usize = 1024;

fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common-passwords.txt")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .collect()
    })
}

/// A new password that is long enough and not one of the most common ones. Padding a common
/// password with digits or repeating it ("password1234", "qwertyqwerty") does not make it uncommon.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err(format!(
                "the password must have at least {MIN_PASSWORD_CHARS} characters"
            ));
        }
        if raw.len() > MAX_PASSWORD_BYTES {
            return Err(format!(
                "the password must have at most {MAX_PASSWORD_BYTES} bytes"
            ));
        }
        if is_common(raw) {
            return Err(
                "this password is one of the most commonly used; choose another, e.g. a few unrelated words"
                    .to_owned(),
            );
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn is_common(raw: &str) -> bool {
    let list = common_passwords();
    let lower = raw.to_lowercase();
    if list.contains(lower.as_str()) {
        return true;
    }
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    if stem.len() >= 4 && list.contains(stem) {
        return true;
    }
    // A listed word repeated: "qwertyqwerty", "abc123abc123".
    let bytes = lower.as_bytes();
    (1..=bytes.len() / 2).any(|unit| {
        bytes.len().is_multiple_of(unit)
            && bytes.chunks(unit).all(|chunk| chunk == &bytes[..unit])
            && (unit < 4 || std::str::from_utf8(&bytes[..unit]).is_ok_and(|w| list.contains(w)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_judged_by_length_and_commonness() {
        let cases = [
            ("short", false),
            ("exactly11ch", false),
            ("123qweasdzxc", false),
            ("password1234", false),
            ("Password123456!", false),
            ("qwertyqwerty", false),
            ("aaaaaaaaaaaa", false),
            ("correct horse battery staple", true),
            ("vacancy-251334-essay", true),
            ("Zw9!kq3#Lm2p", true),
        ];
        for (password, accepted) in cases {
            assert_eq!(Password::parse(password).is_ok(), accepted, "{password}");
        }
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            EmailAddress::parse("  Ana.Silva@Example.ORG ")
                .unwrap()
                .as_str(),
            "ana.silva@example.org"
        );
        assert!(EmailAddress::parse("not an email").is_err());
        assert!(EmailAddress::parse("a@").is_err());
    }

    #[test]
    fn nationality_is_a_member_state_or_other() {
        assert!(Nationality::parse("be").unwrap().is_member_state());
        assert!(!Nationality::parse("OTHER").unwrap().is_member_state());
        assert!(Nationality::parse("XX").is_err());
        assert_eq!(MEMBER_STATES.len(), 32);
    }
}
