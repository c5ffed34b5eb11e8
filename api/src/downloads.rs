//! Archives written while they are sent. An adversarial review found that a person's export and
//! the admins' essays ZIP were built whole in memory on the request path: 40 versions of a
//! 9.9 MB file and two concurrent exports took the server to 2.5 GB and held `/api/time` up to
//! 18.5 s. Now:
//! - the ZIP is written on a blocking thread, never a request thread, one stored file at a time,
//!   into chunks that go to the client through a bounded channel: an export holds one file and a
//!   few chunks, however many versions there are, and waits while the client is slower;
//! - one account has at most one export being prepared at once (per server process, like the
//!   upload slots); a second one is refused with 429;
//! - a failure part-way ends the response without its last chunk, so the client sees a broken
//!   download rather than a shorter archive that looks complete.

use std::collections::HashSet;
use std::io::{self, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::Stream;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use zip::write::StreamWriter;
use zip::ZipWriter;

use crate::error::ApiError;

/// Bytes sent to the client at a time.
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks written ahead of the client: with the chunk being filled, what an export holds besides
/// the one file it is writing.
const CHUNKS_AHEAD: usize = 4;

/// A client that takes nothing for this long loses its download: otherwise it would keep a
/// thread, a file's bytes and its account's export slot for as long as it liked.
const STALLED_CLIENT: Duration = Duration::from_secs(120);

/// The ZIP being written, as the writing closure sees it.
pub type ZipOut = ZipWriter<StreamWriter<ChunkWriter>>;

/// Exports being prepared, by the account that asked for them.
#[derive(Clone, Default)]
pub struct ExportSlots {
    busy: Arc<Mutex<HashSet<String>>>,
}

/// An account's export in progress; dropping it (when the download ends, however it ends) lets
/// the account ask for another.
pub struct ExportSlot {
    slots: ExportSlots,
    account_id: String,
}

impl ExportSlots {
    /// The export slot of `account_id`, or `None` while one of its exports is still being
    /// prepared.
    pub fn take(&self, account_id: &str) -> Option<ExportSlot> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.insert(account_id.to_owned()).then(|| ExportSlot {
            slots: self.clone(),
            account_id: account_id.to_owned(),
        })
    }
}

impl Drop for ExportSlot {
    fn drop(&mut self) {
        let mut busy = self.slots.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.remove(&self.account_id);
    }
}

/// What the writing thread sends to the response.
enum Piece {
    Bytes(Bytes),
    /// The archive is complete: the response may end normally.
    End,
}

/// A ZIP download: a stream of chunks for the response body. It ends normally only after the
/// writer said the archive is complete; otherwise (an error, a panic) its last item is an error,
/// on which the server breaks the connection off.
pub struct ZipDownload {
    pieces: mpsc::Receiver<Piece>,
    over: bool,
}

impl Stream for ZipDownload {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.over {
            return Poll::Ready(None);
        }
        match self.pieces.poll_recv(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Piece::Bytes(bytes))) => Poll::Ready(Some(Ok(bytes))),
            Poll::Ready(Some(Piece::End)) => {
                self.over = true;
                Poll::Ready(None)
            }
            Poll::Ready(None) => {
                self.over = true;
                Poll::Ready(Some(Err(io::Error::other(
                    "the archive could not be completed",
                ))))
            }
        }
    }
}

/// Starts writing a ZIP on a blocking thread: `write` adds the entries (it may wait on the
/// runtime through the handle it is given, e.g. to read one file from the database), then the
/// archive is finished. `slot` is held until the writing stops.
pub fn zip_download<F>(slot: ExportSlot, write: F) -> ZipDownload
where
    F: FnOnce(&mut ZipOut, &Handle) -> Result<(), ApiError> + Send + 'static,
{
    let (sender, pieces) = mpsc::channel(CHUNKS_AHEAD);
    let handle = Handle::current();
    tokio::task::spawn_blocking(move || {
        // Declared in this order so that, should `write` panic, the slot is given back before
        // the response learns that the download ended: the account may then ask again at once.
        let sender = sender;
        let slot = slot;
        let abandoned = Arc::new(AtomicBool::new(false));
        let chunks = ChunkWriter {
            sender: sender.clone(),
            handle: handle.clone(),
            buffer: Vec::with_capacity(CHUNK_BYTES),
            abandoned: abandoned.clone(),
        };
        let outcome = written(ZipWriter::new_stream(chunks), &handle, write, &abandoned);
        drop(slot);
        match outcome {
            Ok(()) => {
                let _ = send(&handle, &sender, Piece::End);
            }
            // Dropping the sender without `End` is what breaks the download off.
            // (A client that went away is the usual cause, hence not an error.)
            Err(error) => tracing::warn!(error = ?error, "a download stopped part-way"),
        }
    });
    ZipDownload {
        pieces,
        over: false,
    }
}

/// Writes and finishes the archive. Should `write` fail or panic, the writer is marked abandoned
/// before the ZIP is dropped: a dropped ZipWriter finishes its archive, and that ending must not
/// reach the client (it goes nowhere instead).
fn written<F>(
    mut zip: ZipOut,
    handle: &Handle,
    write: F,
    abandoned: &Arc<AtomicBool>,
) -> Result<(), ApiError>
where
    F: FnOnce(&mut ZipOut, &Handle) -> Result<(), ApiError>,
{
    let mut guard = Abandon {
        abandoned: abandoned.clone(),
        finished: false,
    };
    write(&mut zip, handle)?;
    let mut chunks = zip.finish().map_err(ApiError::internal)?.into_inner();
    chunks.flush().map_err(ApiError::internal)?;
    guard.finished = true;
    Ok(())
}

/// Marks the writer abandoned when dropped before the archive was finished.
struct Abandon {
    abandoned: Arc<AtomicBool>,
    finished: bool,
}

impl Drop for Abandon {
    fn drop(&mut self) {
        if !self.finished {
            self.abandoned.store(true, Ordering::Relaxed);
        }
    }
}

/// Waits (on a blocking thread) until the response takes `piece`, for at most [`STALLED_CLIENT`].
fn send(handle: &Handle, sender: &mpsc::Sender<Piece>, piece: Piece) -> io::Result<()> {
    let sent = handle.block_on(tokio::time::timeout(STALLED_CLIENT, sender.send(piece)));
    match sent {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(io::Error::new(
            io::ErrorKind::BrokenPipe,
            "the client went away",
        )),
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the client took nothing for too long",
        )),
    }
}

/// The ZIP's output: bytes gathered into chunks, each sent to the response when full.
pub struct ChunkWriter {
    sender: mpsc::Sender<Piece>,
    handle: Handle,
    buffer: Vec<u8>,
    abandoned: Arc<AtomicBool>,
}

impl ChunkWriter {
    fn send_buffer(&mut self) -> io::Result<()> {
        let full = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
        let sent = send(&self.handle, &self.sender, Piece::Bytes(Bytes::from(full)));
        if sent.is_err() {
            // Nothing more can reach the client.
            self.abandoned.store(true, Ordering::Relaxed);
        }
        sent
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // Accepted and dropped rather than refused: the ZipWriter would print its failure to
        // finish on its way out, for every download a client cancelled.
        if self.abandoned.load(Ordering::Relaxed) {
            return Ok(data.len());
        }
        let taken = data.len().min(CHUNK_BYTES - self.buffer.len());
        self.buffer.extend_from_slice(&data[..taken]);
        if self.buffer.len() == CHUNK_BYTES {
            self.send_buffer()?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() || self.abandoned.load(Ordering::Relaxed) {
            return Ok(());
        }
        self.send_buffer()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use futures_util::StreamExt;

    use super::*;

    /// Every item of the download: the bytes received, and whether it ended normally.
    async fn received(download: ZipDownload) -> (Vec<u8>, bool) {
        let mut bytes = Vec::new();
        let mut download = Box::pin(download);
        while let Some(item) = download.next().await {
            match item {
                Ok(chunk) => bytes.extend_from_slice(&chunk),
                Err(_) => return (bytes, false),
            }
        }
        (bytes, true)
    }

    fn entry(name: &str, zip: &mut ZipOut, bytes: &[u8]) -> Result<(), ApiError> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file(name, options).map_err(ApiError::internal)?;
        zip.write_all(bytes).map_err(ApiError::internal)
    }

    #[tokio::test]
    async fn an_archive_larger_than_the_channel_arrives_whole_and_readable() {
        let slots = ExportSlots::default();
        let big: Vec<u8> = (0..CHUNK_BYTES * (CHUNKS_AHEAD + 3) + 17)
            .map(|n| (n % 251) as u8)
            .collect();
        let expected = big.clone();
        let slot = slots.take("ana").expect("a free slot");

        let download = zip_download(slot, move |zip, _| {
            entry("a.bin", zip, &big)?;
            entry("b.txt", zip, b"second")
        });
        let (bytes, complete) = received(download).await;

        assert!(complete);
        let mut archive = zip::ZipArchive::new(io::Cursor::new(bytes)).expect("a ZIP");
        let mut first = Vec::new();
        archive
            .by_name("a.bin")
            .expect("a.bin")
            .read_to_end(&mut first)
            .expect("readable");
        assert_eq!(first, expected);
        assert_eq!(archive.len(), 2);
    }

    #[tokio::test]
    async fn a_failure_or_a_panic_part_way_breaks_the_download_off_without_an_archive_ending() {
        type Writer = Box<dyn FnOnce(&mut ZipOut, &Handle) -> Result<(), ApiError> + Send>;
        let cases: Vec<(&str, Writer)> = vec![
            (
                "error",
                Box::new(|zip: &mut ZipOut, _: &Handle| {
                    entry("a.txt", zip, b"first")?;
                    Err(ApiError::NotFound("essay"))
                }),
            ),
            (
                "panic",
                Box::new(|zip: &mut ZipOut, _: &Handle| {
                    entry("a.txt", zip, b"first")?;
                    panic!("a bug part-way");
                }),
            ),
        ];
        for (case, write) in cases {
            let slots = ExportSlots::default();
            let slot = slots.take("ana").expect("a free slot");

            let (bytes, complete) = received(zip_download(slot, write)).await;

            assert!(!complete, "{case}: the download must end in an error");
            assert!(
                zip::ZipArchive::new(io::Cursor::new(bytes)).is_err(),
                "{case}: what arrived must not read as a ZIP"
            );
            assert!(
                slots.take("ana").is_some(),
                "{case}: the slot is given back"
            );
        }
    }

    #[tokio::test]
    async fn an_account_has_one_export_at_a_time() {
        let slots = ExportSlots::default();

        let first = slots.take("ana");
        let second = slots.take("ana");
        let someone_else = slots.take("ben");
        drop(first);
        let after = slots.take("ana");

        assert!(second.is_none());
        assert!(someone_else.is_some());
        assert!(after.is_some());
    }
}
