//! A candidate's own stored documents and their signed receipts.

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

use entity::{blobs, document_versions};

use super::applications::own_application;
use crate::error::ApiError;
use crate::service::receipts::SignedReceipt;

/// A version the candidate owns, with its application.
async fn own_version(
    db: &impl ConnectionTrait,
    candidate_id: &str,
    version_id: &str,
) -> Result<document_versions::Model, ApiError> {
    let version = document_versions::Entity::find_by_id(version_id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("document"))?;
    own_application(db, candidate_id, &version.application_id).await?;
    Ok(version)
}

pub async fn own_file(
    db: &DatabaseConnection,
    candidate_id: &str,
    version_id: &str,
) -> Result<(document_versions::Model, Vec<u8>), ApiError> {
    let version = own_version(db, candidate_id, version_id).await?;
    let blob = blobs::Entity::find_by_id(version.blob_sha256.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("document"))?;
    Ok((version, blob.bytes))
}

pub async fn own_receipt(
    db: &DatabaseConnection,
    candidate_id: &str,
    version_id: &str,
) -> Result<SignedReceipt, ApiError> {
    let version = own_version(db, candidate_id, version_id).await?;
    serde_json::from_str(&version.receipt).map_err(ApiError::internal)
}
