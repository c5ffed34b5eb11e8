//! Signed receipts. The server signs each receipt with Ed25519; the public key is published at
//! `/.well-known/essay-portal-receipt-key`, and `essay-portal verify-receipt` checks a receipt
//! offline. The signature covers the compact JSON serialisation of the `receipt` object.

use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A receipt as handed to the candidate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignedReceipt {
    #[schema(value_type = Object)]
    pub receipt: serde_json::Value,
    /// Ed25519 signature of the compact JSON of `receipt`, base64.
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

    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.key.verifying_key().as_bytes())
    }

    pub fn sign(&self, receipt: serde_json::Value) -> SignedReceipt {
        let message = receipt.to_string();
        let signature = self.key.sign(message.as_bytes());
        SignedReceipt {
            receipt,
            signature: STANDARD.encode(signature.to_bytes()),
            public_key: self.public_key_base64(),
        }
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Checks a receipt file. `public_key` (base64) overrides the key inside the file; pass the
/// published key to be sure the receipt came from this server.
/// Verifies a receipt against the server's **published** key. The key written inside the receipt
/// is never trusted: anyone can make a key pair, sign a receipt of their own and put their key
/// beside it.
pub fn verify_document(text: &str, public_key: &str) -> Result<String, String> {
    let document: SignedReceipt =
        serde_json::from_str(text).map_err(|e| format!("not a receipt file: {e}"))?;
    let key_text = public_key;
    let key_bytes: [u8; 32] = STANDARD
        .decode(key_text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the public key is not 32 bytes of base64")?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|e| format!("bad public key: {e}"))?;
    let signature_bytes: [u8; 64] = STANDARD
        .decode(document.signature.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the signature is not 64 bytes of base64")?;
    let signature = Signature::from_bytes(&signature_bytes);
    key.verify(document.receipt.to_string().as_bytes(), &signature)
        .map_err(|_| {
            "the signature does not match the receipt (altered, or signed by another key)"
                .to_owned()
        })?;
    let field = |name: &str| {
        document
            .receipt
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_owned()
    };
    Ok(format!(
        "submission {} for vacancy {}, file '{}', SHA-256 {}",
        field("submission_id"),
        field("vacancy_reference"),
        field("original_filename"),
        field("sha256")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_receipt_verifies_and_an_altered_one_does_not() {
        let dir = tempfile_dir();
        let signer = ReceiptSigner::load_or_create(&dir).unwrap();
        let signed =
            signer.sign(serde_json::json!({"submission_id": "s1", "sha256": "ab", "pages": 2}));
        let text = serde_json::to_string_pretty(&signed).unwrap();
        let published = signer.public_key_base64();
        assert!(verify_document(&text, &published).is_ok());
        let altered = text.replace("\"pages\": 2", "\"pages\": 1");
        assert!(verify_document(&altered, &published).is_err());
        let other = SigningKey::generate(&mut rand::rngs::OsRng);
        assert!(
            verify_document(&text, &STANDARD.encode(other.verifying_key().as_bytes())).is_err()
        );
        // A receipt signed with any other key, carrying that key, is not valid against ours.
        let forger = ReceiptSigner::load_or_create(&tempfile_dir()).unwrap();
        let forged = serde_json::to_string(
            &forger.sign(serde_json::json!({"submission_id": "s1", "sha256": "ab", "pages": 1})),
        )
        .unwrap();
        assert!(verify_document(&forged, &published).is_err());
        // The same key comes back on the next start.
        let again = ReceiptSigner::load_or_create(&dir).unwrap();
        assert_eq!(again.public_key_base64(), signer.public_key_base64());
        std::fs::remove_dir_all(dir).ok();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("ep-receipt-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
