//! `pamir bench messaging`: a real server in a child process, CLIENTS event streams connected
//! over loopback, senders posting RATE messages a second for SECONDS; half-way the server is
//! killed with SIGKILL and restarted on the same database, and the clients resume from their
//! last event id. Prints delivered, lost and duplicated counts, p50/p99 delivery latency (post
//! sent → event received) and the server's peak memory, for SQLite and PostgreSQL.

use std::{
    collections::HashMap,
    process::{Child, Command, ExitCode, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anyhow::{anyhow, bail, Context};
use pamir_app::{demo, secrets, App, Clock, Config};
use pamir_domain::{AgencyCode, AgencyKind, Classification, Role, Username};
use pamir_store::{testing::TestDb, Agency, Session, SessionKind, Store, User};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

use crate::bench::Engine;

pub struct Options {
    pub engine: Engine,
    pub clients: usize,
    pub rate: u32,
    pub seconds: u64,
    pub postgres_url: Option<String>,
}

/// Recipient agencies; each has clients/agencies users with a stream open.
const AGENCIES: usize = 100;
const SENDERS: usize = 64;

struct Server {
    child: Child,
}

impl Server {
    fn start(url: &str, port: u16) -> anyhow::Result<Server> {
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.args([
            "bench",
            "messaging-server",
            "--url",
            url,
            "--bind",
            &format!("127.0.0.1:{port}"),
        ]);
        let child = cmd
            .env("PAMIR_LOG_LEVEL", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start the server")?;
        Ok(Server { child })
    }

    fn peak_rss_mb(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_healthy(port: u16) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        if let Ok((200, _)) = request(port, "GET", "/healthz", None, None).await {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the server did not answer /healthz within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One HTTP/1.1 request on a fresh connection: (status, body).
async fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> anyhow::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
    s.set_nodelay(true)?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(b);
    }
    s.write_all(req.as_bytes()).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| anyhow!("no HTTP status"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// A kept-alive HTTP/1.1 connection for a sender, as a national system's client would hold.
struct KeepAlive {
    port: u16,
    conn: Option<BufReader<TcpStream>>,
}

impl KeepAlive {
    async fn post(&mut self, path: &str, token: &str, body: &str) -> anyhow::Result<(u16, String)> {
        if self.conn.is_none() {
            let s = TcpStream::connect(("127.0.0.1", self.port)).await?;
            s.set_nodelay(true)?;
            self.conn = Some(BufReader::new(s));
        }
        let result = async {
            let conn = self.conn.as_mut().ok_or_else(|| anyhow!("no connection"))?;
            let req = format!(
                "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            conn.get_mut().write_all(req.as_bytes()).await?;
            let mut line = String::new();
            conn.read_line(&mut line).await?;
            let status: u16 = line.get(9..12).and_then(|c| c.parse().ok()).ok_or_else(|| anyhow!("no HTTP status"))?;
            let mut length = 0usize;
            loop {
                line.clear();
                if conn.read_line(&mut line).await? == 0 {
                    bail!("connection closed");
                }
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                if let Some((k, v)) = l.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut buf = vec![0u8; length];
            conn.read_exact(&mut buf).await?;
            Ok((status, String::from_utf8_lossy(&buf).into_owned()))
        }
        .await;
        if result.is_err() {
            self.conn = None;
        }
        result
    }
}

/// What the clients saw: (client, message id, when).
type Seen = Arc<Mutex<Vec<(usize, String, Instant)>>>;

/// One client: keeps a stream open, reconnecting with its last event id, until `stop`.
async fn client(
    i: usize,
    port: u16,
    token: String,
    seen: Seen,
    stop: Arc<std::sync::atomic::AtomicBool>,
    reconnects: Arc<std::sync::atomic::AtomicU64>,
) {
    let mut last: Option<i64> = None;
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)).await else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let mut req = format!(
            "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        );
        if let Some(id) = last {
            req.push_str(&format!("Last-Event-ID: {id}\r\n"));
        }
        req.push_str("\r\n");
        if s.write_all(req.as_bytes()).await.is_err() {
            continue;
        }
        let mut lines = BufReader::new(s).lines();
        // Each event is one chunk of the chunked body: its lines can be read as they come.
        loop {
            let line = tokio::select! {
                l = lines.next_line() => l,
                _ = tokio::time::sleep(Duration::from_millis(500)) => {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) { return; }
                    continue;
                }
            };
            match line {
                Ok(Some(l)) => {
                    if let Some(id) = l.strip_prefix("id: ") {
                        last = id.trim().parse().ok().or(last);
                    } else if let Some(data) = l.strip_prefix("data: ") {
                        if data.contains("\"priority\"") {
                            if let Some(id) = serde_json::from_str::<serde_json::Value>(data)
                                .ok()
                                .and_then(|v| v["id"].as_str().map(str::to_string))
                            {
                                if let Ok(mut s) = seen.lock() {
                                    s.push((i, id, Instant::now()));
                                }
                            }
                        }
                    }
                }
                _ => break,
            }
        }
        reconnects.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn run(o: Options) -> anyhow::Result<ExitCode> {
    let pg = o
        .postgres_url
        .clone()
        .or_else(|| std::env::var("PAMIR_TEST_DATABASE_URL").ok());
    let engines = match o.engine {
        Engine::Both => vec![Engine::Sqlite, Engine::Postgres],
        e => vec![e],
    };
    if engines.contains(&Engine::Postgres) && pg.is_none() {
        bail!("PostgreSQL needs --postgres-url or PAMIR_TEST_DATABASE_URL");
    }
    println!(
        "{} clients ({AGENCIES} agencies), {} messages/s for {} s, server killed (SIGKILL) and restarted half-way",
        o.clients, o.rate, o.seconds
    );
    for engine in engines {
        let db = match engine {
            Engine::Postgres => TestDb::postgres(pg.as_deref().unwrap_or_default()).await,
            _ => TestDb::sqlite().await,
        };
        let result = one_engine(&o, &db).await;
        db.cleanup().await;
        result?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn prepare(
    store: &Store,
    clients: usize,
) -> anyhow::Result<(Vec<(String, String)>, Vec<String>)> {
    let app = App::with_store(store.clone(), Config::default(), true, Clock::system());
    demo::seed_reference(&app).await?;
    let now = app.clock.now_ms();
    let hash = secrets::hash_password("bench-password-not-used").map_err(|e| anyhow!(e))?;
    let mut tx = store.begin().await?;
    let mut recipients = Vec::new();
    let mut senders = Vec::new();
    let user = |name: &str, agency: &AgencyCode| -> anyhow::Result<User> {
        Ok(User {
            username: Username::parse(name).map_err(|e| anyhow!(e))?,
            display_name: name.to_string(),
            agency: agency.clone(),
            roles: [Role::Officer].into(),
            clearance: Classification::Restricted,
            password_hash: hash.as_str().into(),
            totp_secret: None,
            totp_last_step: None,
            language: None,
            disabled: false,
            failed_logins: 0,
            locked_until: None,
            created_at: now,
            updated_at: now,
        })
    };
    let session = |name: &str| -> anyhow::Result<(Session, String)> {
        let token = secrets::new_token();
        Ok((
            Session {
                id: uuid_like(name),
                token_hash: secrets::token_hash(&token),
                username: Username::parse(name).map_err(|e| anyhow!(e))?,
                kind: SessionKind::Api,
                label: "bench".into(),
                csrf_token: String::new(),
                created_at: now,
                expires_at: None,
                last_used_at: now,
                revoked_at: None,
            },
            token,
        ))
    };
    let sender_agency = AgencyCode::parse("KZ-BSEND").map_err(|e| anyhow!(e))?;
    tx.insert_agency(&Agency {
        country: sender_agency.country(),
        code: sender_agency.clone(),
        kind: AgencyKind::Police,
        names: pamir_domain::names::Names::parse([("en", "Bench senders")])
            .map_err(|(_, e)| anyhow::anyhow!(e))?,
    })
    .await?;
    for s in 0..SENDERS {
        let name = format!("bench.sender{s}");
        tx.insert_user(&user(&name, &sender_agency)?).await?;
        let (sess, token) = session(&name)?;
        tx.insert_session(&sess).await?;
        senders.push(token);
    }
    let per = clients.div_ceil(AGENCIES).max(1);
    for a in 0..AGENCIES {
        let code = AgencyCode::parse(&format!("TJ-B{a:03}")).map_err(|e| anyhow!(e))?;
        tx.insert_agency(&Agency {
            country: code.country(),
            code: code.clone(),
            kind: AgencyKind::DrugControl,
            names: pamir_domain::names::Names::parse([(
                "en",
                format!("Bench agency {a}").as_str(),
            )])
            .map_err(|(_, e)| anyhow::anyhow!(e))?,
        })
        .await?;
        for u in 0..per {
            if recipients.len() >= clients {
                break;
            }
            let name = format!("bench.r{a:03}.{u}");
            tx.insert_user(&user(&name, &code)?).await?;
            let (sess, token) = session(&name)?;
            tx.insert_session(&sess).await?;
            recipients.push((code.to_string(), token));
        }
    }
    tx.commit().await?;
    Ok((recipients, senders))
}

fn uuid_like(name: &str) -> String {
    format!("bench-session-{name}")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18_080)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn one_engine(o: &Options, db: &TestDb) -> anyhow::Result<()> {
    let (recipients, senders) = prepare(&db.store, o.clients).await?;
    let (url, label) = (db.url.as_str(), db.label);
    let port = free_port();
    let mut server = Server::start(url, port)?;
    wait_healthy(port).await?;

    let seen: Seen = Arc::new(Mutex::new(Vec::with_capacity(
        o.rate as usize * o.seconds as usize * 12,
    )));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reconnects = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = Vec::new();
    for (i, (_, token)) in recipients.iter().enumerate() {
        tasks.push(tokio::spawn(client(
            i,
            port,
            token.clone(),
            seen.clone(),
            stop.clone(),
            reconnects.clone(),
        )));
    }
    // Let every stream open.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let connected_reconnects = reconnects.load(std::sync::atomic::Ordering::SeqCst);

    // Senders: each paces its share of the rate; a refused or failed post is retried later and
    // counted; only 201-confirmed messages are expected at the clients.
    let sent: Arc<Mutex<HashMap<String, (Instant, String)>>> = Arc::new(Mutex::new(HashMap::new()));
    let post_ms: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let mut agencies: Vec<String> = recipients.iter().map(|(a, _)| a.clone()).collect();
    agencies.sort();
    agencies.dedup();
    let agencies = Arc::new(agencies);
    let failed = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let start = Instant::now();
    let end = start + Duration::from_secs(o.seconds);
    let kill_at = start + Duration::from_secs(o.seconds / 2);
    let per_sender = Duration::from_secs_f64(SENDERS as f64 / f64::from(o.rate.max(1)));
    let mut send_tasks = Vec::new();
    for (s, token) in senders.iter().enumerate() {
        let token = token.clone();
        let sent = sent.clone();
        let failed = failed.clone();
        let recipients = agencies.clone();
        let post_ms = post_ms.clone();
        send_tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + per_sender.mul_f64(s as f64 / SENDERS as f64),
                per_sender,
            );
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut n: usize = s;
            let mut http = KeepAlive { port, conn: None };
            while Instant::now() < end {
                tick.tick().await;
                n += SENDERS;
                let agency = &recipients[n % recipients.len()];
                let body = serde_json::json!({"to": {"agencies": [agency]}, "subject": format!("bench {n}"),
                    "body": "Партия прекурсоров, проверьте по учётам.", "priority": "routine"})
                .to_string();
                let t0 = Instant::now();
                match http.post("/api/v1/messages", &token, &body).await {
                    Ok((201, resp)) => {
                        if let Ok(mut p) = post_ms.lock() {
                            p.push(t0.elapsed().as_secs_f64() * 1000.0);
                        }
                        if let Some(id) = serde_json::from_str::<serde_json::Value>(&resp).ok().and_then(|v| v["id"].as_str().map(str::to_string)) {
                            if let Ok(mut m) = sent.lock() {
                                m.insert(id, (t0, agency.clone()));
                            }
                        }
                    }
                    _ => {
                        failed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            }
        }));
    }

    // Half-way: SIGKILL, restart on the same database, clients resume by themselves.
    tokio::time::sleep_until(tokio::time::Instant::from_std(kill_at)).await;
    let peak_before = server.peak_rss_mb();
    let killed = Instant::now();
    server.child.kill().context("SIGKILL")?;
    let _ = server.child.wait();
    drop(server);
    let mut server = Server::start(url, port)?;
    wait_healthy(port).await?;
    let downtime = killed.elapsed();

    for t in send_tasks {
        t.await?;
    }
    let sending = start.elapsed();
    // Let the last events arrive.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let peak_after = server.peak_rss_mb();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for t in tasks {
        let _ = t.await;
    }

    // Who should have got what: every client of the addressed agency.
    let sent = sent.lock().map_err(|_| anyhow!("lock"))?.clone();
    let mut clients_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (a, _)) in recipients.iter().enumerate() {
        clients_of.entry(a.as_str()).or_default().push(i);
    }
    let seen = seen.lock().map_err(|_| anyhow!("lock"))?.clone();
    let mut got: HashMap<(usize, &str), usize> = HashMap::new();
    let mut latencies = Vec::new();
    let mut latencies_steady = Vec::new();
    let window = (
        killed - Duration::from_secs(1),
        killed + downtime + Duration::from_secs(3),
    );
    for (client, id, at) in &seen {
        let count = got.entry((*client, id.as_str())).or_default();
        *count += 1;
        if *count == 1 {
            if let Some((t0, _)) = sent.get(id) {
                let ms = at.saturating_duration_since(*t0).as_secs_f64() * 1000.0;
                latencies.push(ms);
                if !(*t0 >= window.0 && *t0 <= window.1) {
                    latencies_steady.push(ms);
                }
            }
        }
    }
    let mut expected = 0u64;
    let mut lost = 0u64;
    for (id, (_, agency)) in &sent {
        for c in clients_of
            .get(agency.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            expected += 1;
            if !got.contains_key(&(*c, id.as_str())) {
                lost += 1;
            }
        }
    }
    let duplicated: usize = got.values().filter(|n| **n > 1).map(|n| n - 1).sum();
    latencies.sort_by(f64::total_cmp);
    latencies_steady.sort_by(f64::total_cmp);
    println!("\n== {label} ==");
    println!(
        "sent {} messages in {:.1} s ({:.0}/s achieved; {} posts failed or unanswered, most while the server was down)",
        sent.len(),
        sending.as_secs_f64(),
        sent.len() as f64 / sending.as_secs_f64(),
        failed.load(std::sync::atomic::Ordering::SeqCst)
    );
    let before_kill = sent.values().filter(|(t0, _)| *t0 < killed).count();
    let mut posts = post_ms.lock().map_err(|_| anyhow!("lock"))?.clone();
    posts.sort_by(f64::total_cmp);
    println!(
        "before the kill: {before_kill} messages in {:.1} s ({:.0}/s); post answered in p50 {:.1} ms, p99 {:.1} ms",
        (killed - start).as_secs_f64(),
        before_kill as f64 / (killed - start).as_secs_f64(),
        percentile(&posts, 0.5),
        percentile(&posts, 0.99)
    );
    println!(
        "deliveries expected {expected}, delivered {}, lost {lost}, duplicated {duplicated}",
        expected - lost
    );
    println!(
        "latency post→event: p50 {:.1} ms, p99 {:.1} ms over all; steady state (outside the kill window) p50 {:.1} ms, p99 {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies_steady, 0.5),
        percentile(&latencies_steady, 0.99)
    );
    println!(
        "server killed at {:.0} s, back after {:.2} s; client reconnects {}",
        (killed - start).as_secs_f64(),
        downtime.as_secs_f64(),
        reconnects.load(std::sync::atomic::Ordering::SeqCst) - connected_reconnects
    );
    println!("server peak memory: {peak_before:.0} MB before the kill, {peak_after:.0} MB after the restart");
    server.child.kill().ok();
    Ok(())
}

/// The server side of the benchmark: opens the database and serves until killed.
pub async fn serve(url: &str, bind: &str) -> anyhow::Result<ExitCode> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    let app = Arc::new(App::with_store(
        store,
        Config::default(),
        true,
        Clock::system(),
    ));
    let listener = tokio::net::TcpListener::bind(bind).await?;
    pamir_server::serve(app, listener, std::future::pending()).await?;
    Ok(ExitCode::SUCCESS)
}
