//! The `signin` example's `file:PATH` store: a JSON file of account -> base64 secret, in clear,
//! **for tests only**: owner-only (0600 on Unix), replaced atomically, one process at a time.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cognito_device_auth::store::{SecretStore, StoreError};

/// A JSON file of account -> base64 secret. Secrets are in clear: for tests only.
pub struct FileStore {
    pub path: PathBuf,
    pub lock: Mutex<()>,
}

impl FileStore {
    fn load(&self) -> std::result::Result<BTreeMap<String, String>, StoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| StoreError::Failed(format!("{}: {e}", self.path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(StoreError::Failed(format!("{}: {e}", self.path.display()))),
        }
    }

    /// Writes a new file, owner-only from its creation (never a moment with wider permissions),
    /// flushes it to disk, and renames it over the old one: a reader sees the old file or the
    /// new one, never half of one.
    fn save(&self, map: &BTreeMap<String, String>) -> std::result::Result<(), StoreError> {
        let failed =
            |e: std::io::Error| StoreError::Failed(format!("{}: {e}", self.path.display()));
        let tmp = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let bytes = serde_json::to_vec_pretty(map).expect("a map serialises");
        let _ = std::fs::remove_file(&tmp); // A stale one from a crashed run.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&tmp).and_then(|mut file| {
            file.write_all(&bytes)?;
            file.sync_all()
        });
        written
            .and_then(|()| rename_patiently(&tmp, &self.path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                failed(e)
            })
    }
}

/// Renames `from` over `to`; on Windows a rename over a file another process has open for a
/// moment (two processes sharing the store) can fail, so it is tried again for up to a second.
fn rename_patiently(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    let mut attempt = 0;
    loop {
        match std::fs::rename(from, to) {
            Err(e) if attempt < 40 && e.kind() == std::io::ErrorKind::PermissionDenied => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

/// Held while one process reads or changes the file: `PATH.lock`, made with create-new (which
/// only one process can win), removed on drop. A lock older than 10 s is a crashed run's.
struct ProcessLock(PathBuf);

impl ProcessLock {
    fn acquire(path: &std::path::Path) -> std::result::Result<Self, StoreError> {
        let lock = path.with_extension("lock");
        for _ in 0..2000 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(_) => return Ok(Self(lock)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&lock)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > std::time::Duration::from_secs(10));
                    if stale {
                        let _ = std::fs::remove_file(&lock);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(e) => return Err(StoreError::Failed(format!("{}: {e}", lock.display()))),
            }
        }
        Err(StoreError::Unavailable(format!(
            "{} is held by another process",
            lock.display()
        )))
    }
}

impl Drop for ProcessLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl SecretStore for FileStore {
    fn read(&self, account: &str) -> std::result::Result<Option<Vec<u8>>, StoreError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let _process = ProcessLock::acquire(&self.path)?;
        Ok(match self.load()?.get(account) {
            Some(text) => Some(
                STANDARD
                    .decode(text)
                    .map_err(|e| StoreError::Failed(format!("corrupt entry: {e}")))?,
            ),
            None => None,
        })
    }

    fn write(&self, account: &str, secret: &[u8]) -> std::result::Result<(), StoreError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let _process = ProcessLock::acquire(&self.path)?;
        let mut map = self.load()?;
        map.insert(account.to_owned(), STANDARD.encode(secret));
        self.save(&map)
    }

    fn delete(&self, account: &str) -> std::result::Result<(), StoreError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let _process = ProcessLock::acquire(&self.path)?;
        let mut map = self.load()?;
        if map.remove(account).is_some() {
            self.save(&map)?;
        }
        Ok(())
    }
}
