//! Attachments of messages (documents, photographs), encrypted at rest.
//!
//! Each file has a random key of its own; the file is encrypted in chunks of 64 KiB with
//! XChaCha20-Poly1305, each chunk's nonce made of a random file prefix, the chunk's number and a
//! flag on the last chunk (so that reordering, dropping or truncating chunks fails to decrypt).
//! The file key is stored wrapped (encrypted) by the master key, which comes from the
//! configuration or a key file; `pamir attachments rotate-key` re-wraps every file key under a
//! new master key without touching the files. Uploads and downloads stream: no file is ever
//! held whole in memory.

use pamir_domain::error::Reason;
use secrecy::ExposeSecret;
use std::path::{Path, PathBuf};

use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use pamir_domain::audit::Action;
use pamir_store::Attachment;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{context::UserContext, secrets, App, AppError, AppResult};

/// Plaintext bytes per encrypted chunk.
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
/// File header: format marker, then the 15-byte nonce prefix.
const MAGIC: &[u8; 8] = b"PAMIRA1\0";
const PREFIX: usize = 15;

/// The content types accepted, with how their first bytes look.
pub const TYPES: &[(&str, &str)] = &[
    ("application/pdf", "PDF document"),
    ("image/jpeg", "JPEG photograph"),
    ("image/png", "PNG image"),
    ("text/plain", "plain text (UTF-8)"),
];

fn looks_like(content_type: &str, head: &[u8]) -> bool {
    match content_type {
        "application/pdf" => head.starts_with(b"%PDF-"),
        "image/jpeg" => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        // Text: no NUL bytes, and valid UTF-8 up to a character cut at the end of the sample.
        "text/plain" => {
            !head.contains(&0)
                && match std::str::from_utf8(head) {
                    Ok(_) => true,
                    Err(e) => e.error_len().is_none(),
                }
        }
        _ => false,
    }
}

/// A master key and its id (the start of its SHA-256), which each wrapped key records. The key
/// never prints and is wiped from memory when dropped.
pub struct MasterKey {
    key: secrecy::SecretBox<[u8; 32]>,
    pub id: String,
}

impl Clone for MasterKey {
    fn clone(&self) -> MasterKey {
        MasterKey {
            key: secrecy::SecretBox::new(Box::new(*self.key.expose_secret())),
            id: self.id.clone(),
        }
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

impl MasterKey {
    pub fn from_hex(hex: &str) -> Result<MasterKey, String> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(hex.trim().as_bytes())
            .map_err(|_| "the master key must be 64 hexadecimal digits".to_string())?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the master key must be 64 hexadecimal digits (32 bytes)".to_string())?;
        let id = data_encoding::HEXLOWER.encode(&Sha256::digest(key)[..6]);
        Ok(MasterKey {
            key: secrecy::SecretBox::new(Box::new(key)),
            id,
        })
    }

    /// Reads a key file (64 hex digits), or creates one with a new random key when `create`.
    pub fn from_file(path: &Path, create: bool) -> Result<MasterKey, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => MasterKey::from_hex(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let key = secrets::random_bytes::<32>();
                let hex = data_encoding::HEXLOWER.encode(&key);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                write_private(path, &hex).map_err(|e| format!("{}: {e}", path.display()))?;
                tracing::warn!(
                    "created a new attachment master key in {}: back it up",
                    path.display()
                );
                MasterKey::from_hex(&hex)
            }
            Err(e) => Err(format!(
                "cannot read the master key file {}: {e}",
                path.display()
            )),
        }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.key.expose_secret().into())
    }

    /// Encrypts a file key: base32 of nonce ‖ ciphertext.
    pub fn wrap(&self, file_key: &[u8; 32]) -> Result<String, AppError> {
        let nonce = secrets::random_bytes::<24>();
        let ct = self
            .cipher()
            .encrypt(XNonce::from_slice(&nonce), file_key.as_slice())
            .map_err(|_| AppError::Internal("cannot wrap a file key".into()))?;
        Ok(data_encoding::BASE64.encode(&[nonce.as_slice(), &ct].concat()))
    }

    pub fn unwrap_key(&self, wrapped: &str) -> Result<[u8; 32], AppError> {
        let bad =
            || AppError::Internal("a wrapped file key does not open with the master key".into());
        let raw = data_encoding::BASE64
            .decode(wrapped.as_bytes())
            .map_err(|_| bad())?;
        if raw.len() < 24 {
            return Err(bad());
        }
        let pt = self
            .cipher()
            .decrypt(XNonce::from_slice(&raw[..24]), &raw[24..])
            .map_err(|_| bad())?;
        pt.try_into().map_err(|_| bad())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    std::io::Write::write_all(&mut f, text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn chunk_nonce(prefix: &[u8; PREFIX], counter: u64, last: bool) -> XNonce {
    let mut n = [0u8; 24];
    n[..PREFIX].copy_from_slice(prefix);
    n[PREFIX..PREFIX + 8].copy_from_slice(&counter.to_be_bytes());
    n[23] = u8::from(last);
    *XNonce::from_slice(&n)
}

/// An upload in progress: bytes arrive in pieces, are checked and encrypted chunk by chunk into a
/// temporary file, which becomes the attachment only when everything arrived.
pub struct Upload {
    id: String,
    owner: String,
    uploader: String,
    filename: String,
    content_type: String,
    max: u64,
    size: u64,
    hasher: Sha256,
    buffer: Vec<u8>,
    cipher: XChaCha20Poly1305,
    file_key: [u8; 32],
    prefix: [u8; PREFIX],
    counter: u64,
    checked: bool,
    tmp: PathBuf,
    out: tokio::fs::File,
    dir: PathBuf,
}

impl Upload {
    /// Adds received bytes; refuses the upload once it is over the limit or not what it claims.
    pub async fn write(&mut self, bytes: &[u8]) -> AppResult<()> {
        self.size += bytes.len() as u64;
        if self.size > self.max {
            self.abandon().await;
            return Err(AppError::TooLarge(format!(
                "the attachment is larger than the limit of {} bytes",
                self.max
            )));
        }
        self.hasher.update(bytes);
        self.buffer.extend_from_slice(bytes);
        if !self.checked && self.buffer.len() >= 16 {
            self.check().await?;
        }
        while self.buffer.len() > CHUNK {
            let rest = self.buffer.split_off(CHUNK);
            let chunk = std::mem::replace(&mut self.buffer, rest);
            self.seal(&chunk, false).await?;
        }
        Ok(())
    }

    async fn check(&mut self) -> AppResult<()> {
        self.checked = true;
        if looks_like(&self.content_type, &self.buffer) {
            Ok(())
        } else {
            self.abandon().await;
            Err(AppError::invalid(
                "content_type",
                Reason::coded(
                    "attachment-not-declared-type",
                    &[("type", &self.content_type)],
                ),
            ))
        }
    }

    async fn seal(&mut self, chunk: &[u8], last: bool) -> AppResult<()> {
        let nonce = chunk_nonce(&self.prefix, self.counter, last);
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: chunk,
                    aad: self.id.as_bytes(),
                },
            )
            .map_err(|_| AppError::Internal("encryption failed".into()))?;
        self.counter += 1;
        self.out.write_all(&ct).await.map_err(io_error)?;
        Ok(())
    }

    async fn abandon(&mut self) {
        let _ = tokio::fs::remove_file(&self.tmp).await;
    }
}

/// An upload dropped before it finished (the client went away, the body failed, an error
/// ended it) leaves no partial file behind. After `finish` the temporary file was renamed:
/// removing it then finds nothing.
impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

impl Upload {
    /// Seals the last chunk, moves the file in place and records it (not yet bound to a message).
    pub async fn finish(mut self, app: &App) -> AppResult<Attachment> {
        if self.size == 0 {
            self.abandon().await;
            return Err(AppError::invalid(
                "body",
                Reason::coded("attachment-empty", &[]),
            ));
        }
        if !self.checked {
            self.check().await?;
        }
        let last = std::mem::take(&mut self.buffer);
        self.seal(&last, true).await?;
        self.out.flush().await.map_err(io_error)?;
        self.out.sync_all().await.map_err(io_error)?;
        let path = self.dir.join(&self.id);
        tokio::fs::rename(&self.tmp, &path)
            .await
            .map_err(io_error)?;
        let master = app.attachments().master_key()?;
        let a = Attachment {
            id: self.id.clone(),
            message_id: None,
            owner_agency: self.owner.clone(),
            uploaded_by: self.uploader.clone(),
            filename: self.filename.clone(),
            content_type: self.content_type.clone(),
            size: self.size as i64,
            sha256: data_encoding::HEXLOWER.encode(&self.hasher.clone().finalize()),
            key_id: master.id.clone(),
            wrapped_key: master.wrap(&self.file_key)?,
            created_at: app.clock.now_ms(),
        };
        let mut tx = app.store.begin().await?;
        tx.insert_attachment(&a).await?;
        tx.audit(
            &pamir_domain::audit::AuditDraft::new(&self.uploader, &self.owner, Action::AttachmentUpload, &a.id).details(
                serde_json::json!({"size": a.size, "content_type": a.content_type, "sha256": a.sha256}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }
}

fn io_error(e: std::io::Error) -> AppError {
    tracing::error!("attachment storage: {e}");
    AppError::Internal("the attachment store could not be written or read".into())
}

/// A download in progress: the file decrypted chunk by chunk.
pub struct Download {
    pub attachment: Attachment,
    file: tokio::fs::File,
    cipher: XChaCha20Poly1305,
    prefix: [u8; PREFIX],
    counter: u64,
    /// The next ciphertext chunk, read ahead to know whether the current one is the last.
    ahead: Option<Vec<u8>>,
    done: bool,
}

impl Download {
    async fn read_chunk(file: &mut tokio::fs::File) -> AppResult<Vec<u8>> {
        let mut buf = vec![0u8; CHUNK + TAG];
        let mut filled = 0;
        while filled < buf.len() {
            let n = file.read(&mut buf[filled..]).await.map_err(io_error)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        buf.truncate(filled);
        Ok(buf)
    }

    /// The next piece of plaintext, or `None` at the end. A file altered on disk fails here.
    pub async fn next(&mut self) -> AppResult<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let current = match self.ahead.take() {
            Some(c) => c,
            None => Self::read_chunk(&mut self.file).await?,
        };
        let next = Self::read_chunk(&mut self.file).await?;
        let last = next.is_empty();
        let nonce = chunk_nonce(&self.prefix, self.counter, last);
        let pt = self
            .cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: &current,
                    aad: self.attachment.id.as_bytes(),
                },
            )
            .map_err(|_| {
                AppError::Internal(format!(
                    "attachment {} is damaged: it does not decrypt",
                    self.attachment.id
                ))
            })?;
        self.counter += 1;
        if last {
            self.done = true;
        } else {
            self.ahead = Some(next);
        }
        Ok(Some(pt))
    }
}

/// Encrypted attachments as a service, reached as `app.attachments()`: upload, download, expiry and key rotation.
#[derive(Clone, Copy)]
pub struct Attachments<'a> {
    app: &'a App,
}

impl App {
    pub fn attachments(&self) -> Attachments<'_> {
        Attachments { app: self }
    }
}

impl<'a> Attachments<'a> {
    /// The folder holding encrypted attachments.
    pub fn attachment_dir(&self) -> PathBuf {
        let dir = &self.app.config.attachments.dir;
        if dir.as_os_str().is_empty() {
            self.app.config.data_dir.join("attachments")
        } else {
            dir.clone()
        }
    }

    /// The master key: `attachments.master_key`, else the key file (created on first use).
    pub fn master_key(&self) -> AppResult<MasterKey> {
        let c = &self.app.config.attachments;
        if !c.master_key.is_empty() {
            return MasterKey::from_hex(c.master_key.expose()).map_err(AppError::Internal);
        }
        let path = if c.master_key_file.as_os_str().is_empty() {
            self.app.config.data_dir.join("attachments.key")
        } else {
            c.master_key_file.clone()
        };
        MasterKey::from_file(&path, true).map_err(AppError::Internal)
    }

    /// Starts an upload by the caller of a file named `filename` of `content_type`.
    pub async fn begin_upload(
        &self,
        ctx: &UserContext,
        filename: &str,
        content_type: &str,
    ) -> AppResult<Upload> {
        if !pamir_domain::message::messages_allowed(&ctx.subject) {
            return Err(AppError::Forbidden(
                "your roles do not include messaging".into(),
            ));
        }
        let content_type = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !TYPES.iter().any(|(t, _)| *t == content_type) {
            let allowed: Vec<&str> = TYPES.iter().map(|(t, _)| *t).collect();
            return Err(AppError::invalid(
                "content_type",
                Reason::coded(
                    "attachment-type-refused",
                    &[
                        ("value", &format!("{content_type:?}")),
                        ("allowed", &allowed.join(", ")),
                    ],
                ),
            ));
        }
        let filename: String = filename
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
            .take(200)
            .collect();
        let filename = filename.trim().to_string();
        if filename.is_empty() {
            return Err(AppError::invalid(
                "filename",
                Reason::coded("field-required", &[]),
            ));
        }
        let pending = self.app.store.pending_uploads(ctx.username()).await?;
        let quota = i64::from(self.app.config.attachments.pending_per_user);
        if pending >= quota {
            return Err(AppError::Conflict(format!(
                "you have {pending} uploads not yet attached to a message (the limit is {quota}): send them, or wait until they expire after {} hours",
                self.app.config.attachments.unattached_hours
            )));
        }
        self.master_key()?;
        let dir = self.attachment_dir();
        tokio::fs::create_dir_all(&dir).await.map_err(io_error)?;
        let id = uuid::Uuid::now_v7().to_string();
        let tmp = dir.join(format!("{id}.part"));
        let mut out = tokio::fs::File::create(&tmp).await.map_err(io_error)?;
        let prefix = secrets::random_bytes::<PREFIX>();
        out.write_all(MAGIC).await.map_err(io_error)?;
        out.write_all(&prefix).await.map_err(io_error)?;
        let file_key = secrets::random_bytes::<32>();
        Ok(Upload {
            cipher: XChaCha20Poly1305::new((&file_key).into()),
            file_key,
            prefix,
            id,
            owner: ctx.agency().to_string(),
            uploader: ctx.username().to_string(),
            filename,
            content_type,
            max: self.app.config.attachments.max_bytes,
            size: 0,
            hasher: Sha256::new(),
            buffer: Vec::with_capacity(CHUNK + 1024),
            counter: 0,
            checked: false,
            tmp,
            out,
            dir,
        })
    }

    /// Opens an attachment for the caller: one of a message they may read, or their own upload
    /// not sent yet. Audited.
    pub async fn open_attachment(&self, ctx: &UserContext, id: &str) -> AppResult<Download> {
        let missing = || AppError::NotFound("no such attachment".into());
        let a = self
            .app
            .store
            .get_attachment(id)
            .await?
            .ok_or_else(missing)?;
        match &a.message_id {
            Some(m) => {
                self.app
                    .messaging()
                    .visible(ctx, m)
                    .await
                    .map_err(|_| missing())?;
            }
            None if a.uploaded_by == ctx.username() => {}
            None => return Err(missing()),
        }
        let master = self.master_key()?;
        if master.id != a.key_id {
            return Err(AppError::Internal(format!(
                "attachment {id} is wrapped by master key {}, but the configured key is {}: finish the key rotation",
                a.key_id, master.id
            )));
        }
        let file_key = master.unwrap_key(&a.wrapped_key)?;
        let mut file = tokio::fs::File::open(self.attachment_dir().join(&a.id))
            .await
            .map_err(io_error)?;
        let mut header = [0u8; 8 + PREFIX];
        file.read_exact(&mut header).await.map_err(io_error)?;
        if &header[..8] != MAGIC {
            return Err(AppError::Internal(format!(
                "attachment {id} is not in Pamir's format"
            )));
        }
        let mut prefix = [0u8; PREFIX];
        prefix.copy_from_slice(&header[8..]);
        self.app
            .store
            .audit(
                &ctx.draft(Action::AttachmentRead, id)
                    .details(serde_json::json!({
                        "message": a.message_id, "size": a.size, "content_type": a.content_type,
                    })),
            )
            .await?;
        Ok(Download {
            attachment: a,
            file,
            cipher: XChaCha20Poly1305::new((&file_key).into()),
            prefix,
            counter: 0,
            ahead: None,
            done: false,
        })
    }

    /// Re-wraps every file key under `new` (key rotation); returns how many were re-wrapped. The
    /// files themselves are untouched. Safe to run again after an interruption.
    /// Removes uploads never attached to a message within `attachments.unattached_hours`, and
    /// partial files older than that (left by a crash), so that uploading cannot fill the disk.
    /// Returns how many were removed; each is audited.
    pub async fn expire_uploads(&self) -> AppResult<usize> {
        let ttl = i64::from(self.app.config.attachments.unattached_hours) * 3_600_000;
        let cutoff = self.app.clock.now_ms() - ttl;
        let dir = self.attachment_dir();
        let mut removed = 0;
        loop {
            let batch = self.app.store.unattached_before(cutoff, 200).await?;
            if batch.is_empty() {
                break;
            }
            for a in &batch {
                let mut tx = self.app.store.begin().await?;
                if !tx.delete_unattached(&a.id).await? {
                    continue;
                }
                tx.audit(
                    &pamir_domain::audit::AuditDraft::new("system:uploads", "-", Action::AttachmentExpire, &a.id)
                        .details(serde_json::json!({"uploaded_by": a.uploaded_by, "size": a.size, "created_at": a.created_at})),
                )
                .await?;
                tx.commit().await?;
                match tokio::fs::remove_file(dir.join(&a.id)).await {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io_error(e)),
                }
                removed += 1;
            }
            if batch.len() < 200 {
                break;
            }
        }
        // Partial files of uploads a crash interrupted.
        if let Ok(mut entries) = tokio::fs::read_dir(&dir).await {
            let old = std::time::SystemTime::now()
                .checked_sub(std::time::Duration::from_millis(ttl.max(0) as u64))
                .unwrap_or(std::time::UNIX_EPOCH);
            while let Ok(Some(e)) = entries.next_entry().await {
                let stale = e.path().extension().is_some_and(|x| x == "part")
                    && e.metadata()
                        .await
                        .ok()
                        .and_then(|m| m.modified().ok())
                        .is_some_and(|t| t < old);
                if stale && tokio::fs::remove_file(e.path()).await.is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    pub async fn rotate_master_key(&self, new: &MasterKey) -> AppResult<usize> {
        let old = self.master_key()?;
        let mut after = String::new();
        let mut done = 0;
        loop {
            let page = self.app.store.attachments_after(&after, 500).await?;
            let Some(last) = page.last() else { break };
            after = last.id.clone();
            let mut tx = self.app.store.begin().await?;
            for a in &page {
                if a.key_id == new.id {
                    continue;
                }
                if a.key_id != old.id {
                    return Err(AppError::Internal(format!(
                        "attachment {} is wrapped by key {}, which is neither the configured key nor the new one",
                        a.id, a.key_id
                    )));
                }
                let key = old.unwrap_key(&a.wrapped_key)?;
                if tx
                    .rewrap_attachment(&a.id, &old.id, &new.id, &new.wrap(&key)?)
                    .await?
                {
                    done += 1;
                }
            }
            tx.audit(
                &pamir_domain::audit::AuditDraft::new(
                    "system:key-rotation",
                    "-",
                    Action::KeyRotate,
                    "-",
                )
                .details(serde_json::json!({"rotated": done, "from": old.id, "to": new.id})),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(done)
    }
}
