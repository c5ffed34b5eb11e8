//! Admission of upload bodies: what one candidate may hold of the server while a file arrives.
//!
//! An adversarial review found that one candidate could stall everyone: a chunked body has no
//! Content-Length, so it reserved the whole per-file allowance of the shared memory budget and
//! then trickled in with no read timeout, and later uploads queued behind it. So:
//! - every body byte (file, other fields, multipart framing) counts against the upload limit;
//! - memory is reserved for what has arrived (or what Content-Length announces), never for what
//!   might arrive;
//! - a body that goes quiet for `upload_idle_seconds`, or is not complete after
//!   `upload_body_seconds`, is ended with a 408 that says so;
//! - one candidate has at most `uploads_per_candidate` uploads (and so inspections) in flight.
//!
//! The deadline is untouched by all this: the instant the request arrived is recorded before any
//! of these waits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_multipart::Multipart;
use actix_web::http::header::HeaderMap;
use futures_util::{StreamExt, TryStreamExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::error::ApiError;

/// The shared budget is counted in units of this many bytes: fine enough that a body which has
/// sent a few bytes and stalled holds almost nothing of it.
pub const BUDGET_UNIT: usize = 64 * 1024;

/// Units of the shared budget in `mib` MiB.
pub fn budget_units(mib: usize) -> usize {
    mib.max(1) * (1024 * 1024 / BUDGET_UNIT)
}

/// Room for multipart framing and the small fields a form sends besides the file.
pub const FRAMING_ALLOWANCE: usize = 64 * 1024;

/// Fields other than `file` a body may carry before it is refused.
const MAX_OTHER_FIELDS: usize = 16;

/// Uploads in flight per candidate account.
#[derive(Clone, Default)]
pub struct UploadSlots {
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
}

/// A taken slot; dropping it gives the slot back.
pub struct UploadSlot {
    slots: UploadSlots,
    account_id: String,
}

impl UploadSlots {
    /// Takes one of `limit` slots of `account_id`, or says that they are all in use.
    pub fn take(&self, account_id: &str, limit: usize) -> Result<UploadSlot, ApiError> {
        let mut in_flight = self.in_flight.lock().map_err(|_| ApiError::Unavailable)?;
        let count = in_flight.entry(account_id.to_owned()).or_default();
        if *count >= limit.max(1) {
            return Err(ApiError::UploadsInProgress {
                limit: limit.max(1),
            });
        }
        *count += 1;
        Ok(UploadSlot {
            slots: self.clone(),
            account_id: account_id.to_owned(),
        })
    }
}

impl Drop for UploadSlot {
    fn drop(&mut self) {
        if let Ok(mut in_flight) = self.slots.in_flight.lock() {
            if let Some(count) = in_flight.get_mut(&self.account_id) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    in_flight.remove(&self.account_id);
                }
            }
        }
    }
}

/// How a body must arrive.
#[derive(Debug, Clone, Copy)]
pub struct BodyRules {
    /// Largest file, in bytes.
    pub file_limit: usize,
    /// Longest silence between two pieces of the body.
    pub idle: Duration,
    /// Longest time from the first byte awaited to the last.
    pub total: Duration,
}

/// The file of an upload, and the memory reserved for it (held until the upload is answered).
pub struct ReceivedBody {
    pub bytes: Vec<u8>,
    pub filename: String,
    _memory: Vec<OwnedSemaphorePermit>,
}

/// Memory reserved from the shared budget, in [`BUDGET_UNIT`]s, grown as the body grows.
struct Reservation {
    budget: Arc<Semaphore>,
    budget_units: usize,
    permits: Vec<OwnedSemaphorePermit>,
    reserved_units: usize,
}

impl Reservation {
    /// Reserves enough for `bytes`, waiting at most `wait` for the budget to have room.
    async fn grow_to(&mut self, bytes: usize, wait: Duration) -> Result<(), ApiError> {
        // A body larger than the whole budget takes all of it.
        let wanted = bytes.div_ceil(BUDGET_UNIT).min(self.budget_units);
        if wanted <= self.reserved_units {
            return Ok(());
        }
        let more = u32::try_from(wanted - self.reserved_units).unwrap_or(u32::MAX);
        let permit = tokio::time::timeout(wait, self.budget.clone().acquire_many_owned(more))
            .await
            .map_err(|_| ApiError::ServerBusy)?
            .map_err(ApiError::internal)?;
        self.permits.push(permit);
        self.reserved_units = wanted;
        Ok(())
    }
}

/// Reads the multipart field `file` of `payload` under `rules`, reserving memory from `budget`.
pub async fn receive(
    headers: &HeaderMap,
    payload: actix_web::web::Payload,
    declared_length: Option<usize>,
    rules: BodyRules,
    budget: Arc<Semaphore>,
    budget_mib: usize,
) -> Result<ReceivedBody, ApiError> {
    let raw_limit = rules.file_limit + FRAMING_ALLOWANCE;
    if declared_length.is_some_and(|length| length > raw_limit) {
        return Err(ApiError::PayloadTooLarge {
            limit_bytes: rules.file_limit,
        });
    }
    let mut memory = Reservation {
        budget,
        budget_units: budget_units(budget_mib),
        permits: Vec::new(),
        reserved_units: 0,
    };
    // An announced length is reserved at once (the whole file will be held anyway, and a queue
    // of whole reservations is fair); an unannounced one is reserved as it arrives.
    if let Some(length) = declared_length {
        memory.grow_to(length, rules.total).await?;
    }

    // Every byte of the body counts, whichever field it belongs to.
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let counted = payload.map(move |chunk| {
        if let Ok(bytes) = &chunk {
            if counter.fetch_add(bytes.len(), Ordering::Relaxed) + bytes.len() > raw_limit {
                return Err(actix_web::error::PayloadError::Overflow);
            }
        }
        chunk
    });
    let mut multipart = Multipart::new(headers, counted);
    let too_large = ApiError::PayloadTooLarge {
        limit_bytes: rules.file_limit,
    };
    let pace = Pace {
        idle: rules.idle,
        total: rules.total,
        until: Instant::now() + rules.total,
        received,
        raw_limit,
        file_limit: rules.file_limit,
    };
    let mut other_fields = 0usize;
    loop {
        let field = pace.next(multipart.try_next()).await?;
        let Some(mut field) = field else {
            return Err(ApiError::Validation(
                "the upload has no form field named 'file'".into(),
            ));
        };
        if field.name() != Some("file") {
            other_fields += 1;
            if other_fields > MAX_OTHER_FIELDS {
                return Err(ApiError::Validation(
                    "the upload has too many form fields; send the document in one field named 'file'"
                        .into(),
                ));
            }
            // Drained, not kept; the bytes still count against the limit.
            let mut seen = 0usize;
            loop {
                let chunk = pace.next(field.try_next()).await?;
                let Some(chunk) = chunk else { break };
                seen += chunk.len();
                if seen > FRAMING_ALLOWANCE {
                    return Err(ApiError::Validation(
                        "send the document in a form field named 'file'".into(),
                    ));
                }
            }
            continue;
        }
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned)
            .unwrap_or_default();
        // Sized once from Content-Length: growing by doubling would hold up to twice the file.
        let mut bytes = Vec::with_capacity(declared_length.unwrap_or(0).min(rules.file_limit));
        loop {
            let chunk = pace.next(field.try_next()).await?;
            let Some(chunk) = chunk else { break };
            if bytes.len() + chunk.len() > rules.file_limit {
                return Err(too_large);
            }
            memory
                .grow_to(bytes.len() + chunk.len(), rules.idle)
                .await?;
            bytes.extend_from_slice(&chunk);
        }
        return Ok(ReceivedBody {
            bytes,
            filename,
            _memory: memory.permits,
        });
    }
}

/// When the next piece of a body must have arrived, and what a broken body is called.
struct Pace {
    idle: Duration,
    total: Duration,
    until: Instant,
    received: Arc<AtomicUsize>,
    raw_limit: usize,
    file_limit: usize,
}

impl Pace {
    /// The next field or chunk of the body, in time, or why there is none.
    async fn next<T>(
        &self,
        next: impl std::future::Future<Output = Result<Option<T>, actix_multipart::MultipartError>>,
    ) -> Result<Option<T>, ApiError> {
        self.wait(next).await?.map_err(|error| {
            // The counting stream stops an oversize body with an error of its own; say why.
            if self.received.load(Ordering::Relaxed) > self.raw_limit {
                ApiError::PayloadTooLarge {
                    limit_bytes: self.file_limit,
                }
            } else {
                ApiError::Validation(format!("the upload could not be read: {error}"))
            }
        })
    }

    async fn wait<F: std::future::Future>(&self, next: F) -> Result<F::Output, ApiError> {
        let by = (Instant::now() + self.idle).min(self.until);
        tokio::time::timeout_at(by, next).await.map_err(|_| {
            let whole_body = by == self.until;
            ApiError::UploadStalled {
                waited_seconds: if whole_body { self.total } else { self.idle }
                    .as_secs()
                    .max(1),
                whole_body,
            }
        })
    }
}
