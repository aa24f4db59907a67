//! The certification document upload (`POST /users/{user_id}/certifications/{id}/file`),
//! the API's only multipart operation, which the generator cannot build.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};

use std::path::Path;

use bytes::{Bytes, BytesMut};
use crewsense_gen::catalog::Operation;
use crewsense_gen::types::ActionResult;
use futures::{Stream, StreamExt};
use progenitor_client::ClientInfo;
use reqwest::multipart::{Form, Part};
use tokio::io::AsyncReadExt;

use super::raw::{send_built, url_for};
use crate::defaults::CERTIFICATION_FILE_LIMIT;
use crate::ids::{CertificationId, UserId};
use crate::{Client, Error};

const OPERATION: &str = "upload_user_certification_file";

/// How much of a file [`CertificationFile::open`] reads at a time.
const READ_CHUNK: usize = 64 * 1024;

/// A document that proves a user's certification (the reference names PDF, JPEG and
/// Word files), with its file name and content type.
///
/// ```no_run
/// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
/// use crewsense::CertificationFile;
/// use crewsense::ids::{CertificationId, UserId};
///
/// let bytes = std::fs::read("card.pdf").expect("the scan");
/// let file = CertificationFile::from_bytes("card.pdf", "application/pdf", bytes);
/// client
///     .upload_certification_file(UserId::new(848), CertificationId::new(321), file)
///     .await?;
/// # Ok(()) }
/// ```
pub struct CertificationFile {
    file_name: String,
    content_type: String,
    size: u64,
    body: FileBody,
    limit: u64,
}

enum FileBody {
    Bytes(Bytes),
    /// Taken by the first attempt: a stream cannot be sent twice.
    Stream(Mutex<Option<reqwest::Body>>),
}

/// A chunk of a streamed file, or why reading it failed.
type Chunk = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>;

impl CertificationFile {
    /// A document held in memory.
    pub fn from_bytes(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        let bytes = bytes.into();
        Self {
            file_name: file_name.into(),
            content_type: content_type.into(),
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            body: FileBody::Bytes(bytes),
            limit: CERTIFICATION_FILE_LIMIT,
        }
    }

    /// A document read from `stream` (a file being read, say) of exactly `size`
    /// bytes; the size is sent ahead and checked against the limit before anything
    /// is sent. A stream that yields more than `size` bytes fails the upload.
    ///
    /// A stream is sent once: if the API rejects the access token, the upload fails
    /// instead of being resent with a new one.
    pub fn from_stream<S, B, E>(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        size: u64,
        stream: S,
    ) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let sent = Arc::new(AtomicU64::new(0));
        let capped = stream.map(move |chunk| -> Chunk {
            let chunk: Bytes = chunk.map_err(Into::into)?.into();
            let len = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
            let total = sent.fetch_add(len, Ordering::Relaxed).saturating_add(len);
            if total > size {
                return Err(
                    format!("the file stream yielded more than the {size} bytes declared").into(),
                );
            }
            Ok(chunk)
        });
        Self {
            file_name: file_name.into(),
            content_type: content_type.into(),
            size,
            body: FileBody::Stream(Mutex::new(Some(reqwest::Body::wrap_stream(capped)))),
            limit: CERTIFICATION_FILE_LIMIT,
        }
    }

    /// The document at `path`, streamed from the file as it is sent. Its name is the
    /// file's name, its content type guessed from the extension ([`content_type_of`](Self::content_type_of)),
    /// its size the file's size, checked against the limit before anything is sent.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use crewsense::CertificationFile;
    /// use crewsense::ids::{CertificationId, UserId};
    ///
    /// let file = CertificationFile::open("scans/hazmat-card.pdf").await?;
    /// client
    ///     .upload_certification_file(UserId::new(848), CertificationId::new(321), file)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let size = file.metadata().await?.len();
        let file_name = path
            .file_name()
            .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
        let chunks = futures::stream::try_unfold(file, |mut file| async move {
            let mut chunk = BytesMut::with_capacity(READ_CHUNK);
            match file.read_buf(&mut chunk).await? {
                0 => Ok::<_, std::io::Error>(None),
                _ => Ok(Some((chunk.freeze(), file))),
            }
        });
        Ok(Self::from_stream(
            file_name,
            Self::content_type_of(path),
            size,
            chunks,
        ))
    }

    /// The content type of a certification document, guessed from its file name's
    /// extension: the reference names PDF, JPEG and Word files; anything else is
    /// `application/octet-stream`.
    ///
    /// ```
    /// use crewsense::CertificationFile;
    ///
    /// assert_eq!(CertificationFile::content_type_of("card.PDF"), "application/pdf");
    /// assert_eq!(CertificationFile::content_type_of("scan.jpeg"), "image/jpeg");
    /// assert_eq!(CertificationFile::content_type_of("notes"), "application/octet-stream");
    /// ```
    pub fn content_type_of(path: impl AsRef<Path>) -> &'static str {
        let extension = path
            .as_ref()
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("pdf") => "application/pdf",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("png") => "image/png",
            Some("doc") => "application/msword",
            Some("docx") => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            _ => "application/octet-stream",
        }
    }

    /// Refuses documents larger than `bytes` instead of
    /// [`CERTIFICATION_FILE_LIMIT`].
    pub fn limit(mut self, bytes: u64) -> Self {
        self.limit = bytes;
        self
    }

    /// Sends the document as `content_type` instead of the type it was made with.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The size of the document in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The multipart form for one attempt: one `file` part.
    fn form(&self) -> Result<Form, String> {
        let body = match &self.body {
            FileBody::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            FileBody::Stream(slot) => slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .ok_or("the file stream was already sent once; upload it again")?,
        };
        let part = Part::stream_with_length(body, self.size)
            .file_name(self.file_name.clone())
            .mime_str(&self.content_type)
            .map_err(|_| format!("`{}` is not a content type", self.content_type))?;
        Ok(Form::new().part("file", part))
    }
}

impl std::fmt::Debug for CertificationFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificationFile")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("size", &self.size)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Uploads the document proving the user's certification record `id` of user
    /// `user_id` (as `multipart/form-data`, one `file` part).
    ///
    /// A document larger than its limit is [`Error::FileTooLarge`], before anything
    /// is sent. The upload is never resent by the retry policy (a `POST`, and a
    /// streamed body cannot be replayed).
    pub async fn upload_certification_file(
        &self,
        user_id: UserId,
        id: CertificationId,
        file: CertificationFile,
    ) -> Result<ActionResult, Error> {
        let operation = Operation::by_id(OPERATION).ok_or(Error::InvalidRequest {
            operation: None,
            message: format!("no operation `{OPERATION}` in the catalogue"),
        })?;
        if file.size > file.limit {
            return Err(Error::FileTooLarge {
                operation: operation.id,
                size: file.size,
                limit: file.limit,
            });
        }
        let params = [user_id.to_string(), id.to_string()];
        let url = url_for(self.base_url(), operation, &params)?;
        self.call(async |api| {
            let form = file
                .form()
                .map_err(progenitor_client::Error::InvalidRequest)?;
            let builder = api.client().post(url.clone()).multipart(form);
            send_built(api, operation, builder).await
        })
        .await
    }
}
