//! ChromeDriver and the Chromium it starts, owned by the test that uses them.
//!
//! ChromeDriver runs in a process group of its own, and Chromium (started by it) inherits that
//! group. Dropping the [`Driver`] — also while a test unwinds from a panic — kills the whole group,
//! then anything still naming the driver's profile folder, waits until they are gone and removes
//! the folder. A test process killed outright cannot run `Drop`: the next driver started on this
//! machine finds its profile folder (named after the dead process) and ends what it left.
//!
//! Browser tests take turns ([`Driver::start`] waits for the previous driver to be dropped): on
//! two cores, several Chromiums at once make every wait in every test slower.

use std::{
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator};

pub use crate::support::PATIENCE;

static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
static SKIP_NOTE: std::sync::Once = std::sync::Once::new();
const PROFILE_PREFIX: &str = "pamir-chrome-";

pub struct Driver {
    child: Child,
    url: String,
    /// The folder under which every browser session of this driver keeps its profile.
    pub profile: PathBuf,
    chromium: PathBuf,
    sessions: usize,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_absolute() && p.exists())
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|d| candidates.iter().map(move |c| d.join(c)))
                .find(|p| p.is_file())
        })
}

/// Chromium and ChromeDriver, or why the browser tests cannot run here.
pub fn locate() -> Result<(PathBuf, PathBuf), String> {
    let chromium = find(&[
        "/usr/bin/chromium",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ])
    .ok_or("Chromium is not installed (Debian package `chromium`)")?;
    let driver = find(&["/usr/bin/chromedriver", "chromedriver"])
        .ok_or("ChromeDriver is not installed (Debian package `chromium-driver`)")?;
    Ok((chromium, driver))
}

/// Says why a browser test is skipped, or fails it when `PAMIR_REQUIRE_BROWSER=1`.
pub fn skip_or_fail(why: &str) {
    if std::env::var("PAMIR_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("PAMIR_REQUIRE_BROWSER=1 but {why}");
    }
    pamir_store::testing::say_once(&SKIP_NOTE, &format!("note: browser test SKIPPED: {why}"));
}

/// Waits until no other browser test of this process runs.
pub async fn take_turn() -> tokio::sync::MutexGuard<'static, ()> {
    TURN.lock().await
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Driver {
    /// ChromeDriver with Chromium, or `None` after saying why the test is skipped (a failure when
    /// `PAMIR_REQUIRE_BROWSER=1`).
    pub async fn start_or_skip() -> Option<Driver> {
        let turn = take_turn().await;
        match Self::start(turn).await {
            Ok(d) => Some(d),
            Err(why) => {
                skip_or_fail(&why);
                None
            }
        }
    }

    async fn start(turn: tokio::sync::MutexGuard<'static, ()>) -> Result<Driver, String> {
        let (chromium, driver) = locate()?;
        reap_orphans();
        let port = free_port().map_err(|e| format!("no free port: {e}"))?;
        let profile =
            std::env::temp_dir().join(format!("{PROFILE_PREFIX}{}-{port}", std::process::id()));
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            // Chromium's crash handler leaves the process group and outlives the browser; with
            // its configuration under the profile folder its command line names the folder too.
            .env("XDG_CONFIG_HOME", &profile)
            .env("HOME", &profile)
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let d = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile,
            chromium,
            sessions: 0,
            _turn: turn,
        };
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            if started.elapsed() > PATIENCE {
                return Err(format!(
                    "chromedriver did not listen on port {port} within {PATIENCE:?}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(d)
    }

    /// The process group of ChromeDriver and every Chromium it started.
    pub fn group(&self) -> u32 {
        self.child.id()
    }

    /// A new browser session with a profile of its own (two browsers cannot share one).
    pub async fn browser(&mut self) -> Client {
        let profile = self.profile.join(self.sessions.to_string());
        self.sessions += 1;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": self.chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-breakpad", "--disable-crash-reporter", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--lang=en-GB", format!("--user-data-dir={}", profile.display())]
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("cannot open a browser session: {e}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = self.child.id();
        if let Some(pid) = rustix::process::Pid::from_raw(group as i32) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
        let _ = self.child.wait();
        end_processes_using(&self.profile);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Processes whose command line names `path` (Chromium's `--user-data-dir`, its helpers), or in
/// process group `group`.
pub fn processes_of(path: &Path, group: Option<u32>) -> Vec<(u32, String)> {
    let needle = path.to_string_lossy().into_owned();
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline"))
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        // The fifth field of stat (after the parenthesised name) is the process group.
        let in_group = group.is_some_and(|g| {
            std::fs::read_to_string(entry.path().join("stat"))
                .ok()
                .and_then(|s| {
                    let rest = &s[s.rfind(')')? + 2..];
                    rest.split(' ').nth(2)?.parse::<u32>().ok()
                })
                == Some(g)
        });
        if in_group || (!cmdline.is_empty() && cmdline.contains(&needle)) {
            out.push((pid, cmdline));
        }
    }
    out
}

/// Kills whatever still names `profile` and waits (a few seconds at most) until it is gone.
fn end_processes_using(profile: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = processes_of(profile, None);
        if left.is_empty() || Instant::now() > deadline {
            return;
        }
        for (pid, _) in left {
            if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Profile folders (and their browsers) left by test processes that no longer run.
fn reap_orphans() {
    let Ok(dir) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(owner) = name
            .strip_prefix(PROFILE_PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{owner}")).exists() {
            end_processes_using(&entry.path());
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Waits until `css` exists and returns its text.
pub async fn text_of(c: &Client, css: &str) -> String {
    match c
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(el) => el.text().await.unwrap_or_default(),
        Err(e) => {
            let seen = what_the_page_shows(c).await;
            panic!("waited {PATIENCE:?} for {css} to appear: {e}; {seen}")
        }
    }
}

/// Where the browser is and what its page says (the first lines; an error page names its
/// error): for the message of a wait that timed out.
async fn what_the_page_shows(c: &Client) -> String {
    let url = c
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let page: String = text_of_now(c, "body").await.chars().take(400).collect();
    format!("the browser is at {url}, whose page says: {page:?}")
}

/// Waits until `css` holds `text` and returns all of its text: after a click, the page being
/// left may still answer for a moment, so a test waits for the state it expects, never reads once.
pub async fn wait_for_text(c: &Client, css: &str, text: &str) -> String {
    let started = Instant::now();
    loop {
        let now = match c.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.contains(text) {
            return now;
        }
        if started.elapsed() > PATIENCE {
            let seen = what_the_page_shows(c).await;
            panic!("waited {PATIENCE:?} for {css} to show {text:?}; it shows {now:?}; {seen}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `css` has `attr` = `value`.
pub async fn wait_for_attr(c: &Client, css: &str, attr: &str, value: &str) {
    let started = Instant::now();
    loop {
        let now = match c.find(Locator::Css(css)).await {
            Ok(el) => el.attr(attr).await.ok().flatten(),
            Err(_) => None,
        };
        if now.as_deref() == Some(value) {
            return;
        }
        if started.elapsed() > PATIENCE {
            let seen = what_the_page_shows(c).await;
            panic!(
                "waited {PATIENCE:?} for {css} to have {attr}={value:?}; it has {now:?}; {seen}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the address is `path` on this site (after a form's redirect).
pub async fn wait_for_path(
    c: &Client,
    base: &str,
    pred: impl Fn(&str) -> bool,
    what: &str,
) -> String {
    let started = Instant::now();
    loop {
        let url = c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let path = url.strip_prefix(base).unwrap_or(&url).to_string();
        if pred(&path) {
            return path;
        }
        if started.elapsed() > PATIENCE {
            let main = text_of_now(c, "main").await;
            panic!(
                "waited {PATIENCE:?} for the address to be {what}; it is {url}, showing {main:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks `css` once it is there; tries again while the page is still being replaced (an element
/// of the page being left goes stale).
pub async fn click(c: &Client, css: &str) {
    let started = Instant::now();
    loop {
        let tried = match c.find(Locator::Css(css)).await {
            Ok(el) => el.click().await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match tried {
            Ok(()) => return,
            Err(e) if started.elapsed() > PATIENCE => {
                panic!("waited {PATIENCE:?} to click {css}: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// The text of `css` as it is now, or empty.
async fn text_of_now(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(el) => el.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}
