//! Signed receipts. The server signs each receipt with Ed25519; the public key is published at
//! `/.well-known/essay-portal-receipt-key`, and `essay-portal verify-receipt` checks a receipt
//! offline.
//!
//! The signature covers the receipt's canonical JSON: the RFC 8785 (JCS) serialisation of the
//! `receipt` object ([`ReceiptPayload`]): no whitespace, object keys sorted by their UTF-16 code
//! units, numbers as ECMAScript prints them, strings with JSON's minimal escaping. Any program that
//! implements RFC 8785 can rebuild those bytes from the receipt, whatever order its fields come in.
//!
//! Receipts issued before that were signed over serde_json's compact serialisation of the object
//! (its `Value::to_string()`, keys sorted by bytes). They still verify: [`verify_document`] tries
//! the canonical form first and then that legacy form, which [`legacy_bytes`] rebuilds explicitly.

use std::collections::BTreeMap;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use policy::{Decision, RuleStatus};
use serde::{Deserialize, Serialize, Serializer};
use utoipa::ToSchema;

/// What a receipt states about one accepted upload: the signed part of a `SignedReceipt`.
/// Unknown fields are refused, so a receipt cannot carry anything its signature does not cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptPayload {
    /// The stored version's id.
    pub submission_id: String,
    pub application_id: String,
    pub vacancy_reference: String,
    /// The document's kind (e.g. `essay`).
    pub document: String,
    /// The document's English title.
    pub document_title: String,
    /// 1 for the first upload of this document, then 2, 3, ...
    pub version: i32,
    pub original_filename: String,
    /// Bounded by the upload limit, so far below 2^53: JCS prints numbers as doubles, exact there.
    pub size_bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// The instant the upload began (the one that counts against the deadline), RFC 3339 UTC,
    /// whole seconds, exactly as signed.
    pub upload_began_at: String,
    /// The same instant in the vacancy's time zone, as shown to the candidate.
    pub upload_began_local: String,
    /// The instant the upload completed, RFC 3339 UTC, whole seconds.
    pub upload_completed_at: String,
    pub upload_completed_local: String,
    /// The vacancy's IANA time zone.
    pub time_zone: String,
    /// Page count, where the format has pages (`null` otherwise).
    pub pages: Option<u32>,
    /// One line per rule the upload was checked against.
    pub rules: Vec<ReceiptRule>,
    /// `accept` (only accepted uploads get a receipt).
    #[schema(value_type = String, example = "accept")]
    pub verdict: Decision,
}

/// One rule's outcome on a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRule {
    /// The rule's stable id: format, readable, encryption, macros, pages, paper, filename, size,
    /// deadline. A string, not the policy's rule type: a receipt must read, and verify, for as
    /// long as it is kept, whatever rules the policy has by then.
    pub rule: String,
    /// `pass`, `warn` or `fail`.
    #[schema(value_type = String, example = "pass")]
    pub status: RuleStatus,
    /// What was found, if the rule reports it.
    pub found: Option<String>,
}

impl From<&policy::RuleResult> for ReceiptRule {
    fn from(result: &policy::RuleResult) -> Self {
        Self {
            rule: result.rule.to_string(),
            status: result.status,
            found: result.found.clone(),
        }
    }
}

impl ReceiptPayload {
    /// The bytes the signature covers: the payload's RFC 8785 canonical JSON.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        // Only strings, small integers, null, arrays and objects: JCS cannot fail on them (it
        // refuses only non-finite floats).
        serde_jcs::to_vec(self).expect("a receipt payload has no floats")
    }
}

/// A receipt as handed to the candidate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignedReceipt {
    pub receipt: ReceiptPayload,
    /// Ed25519 signature of the RFC 8785 canonical JSON of `receipt`, base64. (Receipts issued
    /// before canonical JSON: of serde_json's compact JSON of `receipt`, keys sorted.)
    pub signature: String,
    /// The server's public key, base64 (also at /.well-known/essay-portal-receipt-key).
    pub public_key: String,
}

#[derive(Clone)]
pub struct ReceiptSigner {
    key: SigningKey,
}

impl ReceiptSigner {
    /// Loads the key from `receipt-signing-key.pem` in the data directory, creating it on first start.
    pub fn load_or_create(data_dir: &Path) -> std::io::Result<Self> {
        let path = data_dir.join("receipt-signing-key.pem");
        if let Ok(pem) = std::fs::read_to_string(&path) {
            let key = SigningKey::from_pkcs8_pem(&pem)
                .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
            return Ok(Self { key });
        }
        crate::database::private_data_dir(data_dir)?;
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let pem = key
            .to_pkcs8_pem(Default::default())
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        write_private(&path, pem.as_bytes())?;
        Ok(Self { key })
    }

    /// The configured key file when there is one (it must exist: a deployment whose instances
    /// each made their own key would hand out receipts that the published key does not verify),
    /// else the data folder's own key.
    pub fn from_settings(settings: &crate::configuration::Settings) -> std::io::Result<Self> {
        match &settings.receipt_key_file {
            Some(path) => Self::load(path),
            None => Self::load_or_create(&settings.data_dir),
        }
    }

    /// Reads a key written by [`ReceiptSigner::generate_to`] (or any PKCS#8 Ed25519 PEM).
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let pem = std::fs::read_to_string(path).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "{}: {e} (make one with `essay-portal keys generate --to {}`)",
                    path.display(),
                    path.display()
                ),
            )
        })?;
        let key = SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
        Ok(Self { key })
    }

    /// Writes a new key to `path` (0600), never over an existing file: replacing a key would
    /// leave every receipt already issued unverifiable by the published key.
    pub fn generate_to(path: &Path) -> std::io::Result<Self> {
        if path.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} already exists; a key is never overwritten",
                    path.display()
                ),
            ));
        }
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let pem = key
            .to_pkcs8_pem(Default::default())
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        write_private(path, pem.as_bytes())?;
        Ok(Self { key })
    }

    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.key.verifying_key().as_bytes())
    }

    /// Signs `receipt` over its canonical JSON.
    pub fn sign_payload(&self, receipt: ReceiptPayload) -> SignedReceipt {
        let signature = self.key.sign(&receipt.canonical_bytes());
        SignedReceipt {
            receipt,
            signature: STANDARD.encode(signature.to_bytes()),
            public_key: self.public_key_base64(),
        }
    }
}

#[cfg(unix)]
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Which bytes a valid signature was found to cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedForm {
    /// RFC 8785 canonical JSON of the payload: every receipt issued now.
    Canonical,
    /// serde_json's compact JSON with keys sorted by bytes: receipts issued before.
    Legacy,
}

/// The legacy signed bytes of a receipt object, as the server used to make them with
/// `serde_json::Value::to_string()`: compact, object keys sorted by their UTF-8 bytes at every
/// level (serde_json's map without `preserve_order`), serde_json's escaping and number printing.
/// The keys are sorted here explicitly, so this stays right whatever features serde_json is built
/// with.
pub fn legacy_bytes(receipt: &serde_json::Value) -> Vec<u8> {
    struct Sorted<'a>(&'a serde_json::Value);
    impl Serialize for Sorted<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self.0 {
                serde_json::Value::Object(map) => serializer.collect_map(
                    map.iter()
                        .map(|(k, v)| (k.as_str(), Sorted(v)))
                        .collect::<BTreeMap<_, _>>(),
                ),
                serde_json::Value::Array(items) => serializer.collect_seq(items.iter().map(Sorted)),
                other => other.serialize(serializer),
            }
        }
    }
    serde_json::to_vec(&Sorted(receipt)).expect("a JSON value serialises")
}

/// A receipt file as read for verification: the payload both typed (to refuse unknown or
/// duplicate fields) and as the JSON value it is (to rebuild the legacy bytes exactly).
#[derive(Deserialize)]
struct ReceiptFile<T> {
    receipt: T,
    signature: String,
}

/// Checks a signature over a receipt, canonical form first, then the legacy form. `receipt` is the
/// `receipt` object exactly as it was read; `payload` the same object, typed.
fn verify_signature(
    key: &VerifyingKey,
    signature: &Signature,
    payload: &ReceiptPayload,
    receipt: &serde_json::Value,
) -> Option<SignedForm> {
    if key
        .verify_strict(&payload.canonical_bytes(), signature)
        .is_ok()
    {
        return Some(SignedForm::Canonical);
    }
    if key.verify_strict(&legacy_bytes(receipt), signature).is_ok() {
        return Some(SignedForm::Legacy);
    }
    None
}

/// Verifies a receipt file against the server's **published** key (base64). The key written
/// inside the receipt is never trusted: anyone can make a key pair, sign a receipt of their own
/// and put their key beside it. Returns which bytes the signature covers and the receipt.
pub fn verify(text: &str, public_key: &str) -> Result<(SignedForm, ReceiptPayload), String> {
    let typed: ReceiptFile<ReceiptPayload> =
        serde_json::from_str(text).map_err(|e| format!("not a receipt file: {e}"))?;
    let raw: ReceiptFile<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| format!("not a receipt file: {e}"))?;
    let key_bytes: [u8; 32] = STANDARD
        .decode(public_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the public key is not 32 bytes of base64")?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|e| format!("bad public key: {e}"))?;
    let signature_bytes: [u8; 64] = STANDARD
        .decode(typed.signature.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the signature is not 64 bytes of base64")?;
    let signature = Signature::from_bytes(&signature_bytes);
    let form =
        verify_signature(&key, &signature, &typed.receipt, &raw.receipt).ok_or_else(|| {
            "the signature does not match the receipt (altered, or signed by another key)"
                .to_owned()
        })?;
    Ok((form, typed.receipt))
}

/// [`verify`], summed up in one line for `essay-portal verify-receipt`.
pub fn verify_document(text: &str, public_key: &str) -> Result<String, String> {
    let (form, receipt) = verify(text, public_key)?;
    let form = match form {
        SignedForm::Canonical => "",
        SignedForm::Legacy => " (signed in the legacy, pre-RFC 8785 form)",
    };
    Ok(format!(
        "submission {} for vacancy {}, file '{}', SHA-256 {}{form}",
        receipt.submission_id, receipt.vacancy_reference, receipt.original_filename, receipt.sha256
    ))
}

#[cfg(test)]
mod tests;
