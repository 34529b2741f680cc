//! The `pamir` binary as a newcomer uses it: reference data and users from the command line,
//! import and export, and `audit verify` failing after the database file is edited directly.

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Output, Stdio},
};

use sqlx::{Connection, Executor};

struct Workspace {
    dir: PathBuf,
    /// Extra arguments that select the database (`--data-dir` or `--database-url`).
    db_args: Vec<String>,
    pg: Option<(String, String)>,
}

impl Workspace {
    fn sqlite(name: &str) -> Workspace {
        let dir = std::env::temp_dir().join(format!("pamir-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db_args = vec![
            "--data-dir".to_string(),
            dir.join("data").display().to_string(),
        ];
        Workspace {
            dir,
            db_args,
            pg: None,
        }
    }

    fn postgres(name: &str, base: &str) -> Workspace {
        let mut w = Workspace::sqlite(&format!("{name}-pg"));
        let schema = format!(
            "pamir_t_{}_{}_cli_{name}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            std::process::id()
        );
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        block(async {
            let mut c = sqlx::PgConnection::connect(base).await.expect("postgres");
            c.execute(format!("CREATE SCHEMA {schema}").as_str())
                .await
                .expect("schema");
        });
        w.db_args = vec!["--database-url".into(), url];
        w.pg = Some((base.to_string(), schema));
        w
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pamir"));
        cmd.args(args)
            .args(&self.db_args)
            .current_dir(&self.dir)
            .env_remove("PAMIR_CONFIG")
            .env("USER", "tester");
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("pamir runs");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("pamir finishes")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, None);
        assert!(
            out.status.success(),
            "pamir {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, content).expect("write");
        p
    }

    /// Runs SQL against the database behind the CLI's back, as someone with access to the file would.
    /// `sql` may end with `-- pg: …`, the same damage in PostgreSQL's stricter terms.
    fn tamper(&self, sql: &str) {
        let (sqlite_sql, pg_sql) = match sql.split_once("-- pg:") {
            Some((s, p)) => (s.trim(), p.trim()),
            None => (sql, sql),
        };
        block(async {
            match &self.pg {
                Some((base, schema)) => {
                    let mut c = sqlx::PgConnection::connect(base).await.expect("postgres");
                    sqlx::raw_sql(&format!("SET search_path TO {schema}; {pg_sql}"))
                        .execute(&mut c)
                        .await
                        .expect("tamper");
                }
                None => {
                    let url = format!("sqlite://{}", self.dir.join("data/pamir.db").display());
                    let mut c = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
                    sqlx::raw_sql(sqlite_sql)
                        .execute(&mut c)
                        .await
                        .expect("tamper");
                }
            }
        });
    }

    fn seed(&self) {
        self.ok(&["country", "add", "KZ", "--status", "member"]);
        self.ok(&["country", "add", "TJ", "--status", "member"]);
        self.ok(&[
            "agency",
            "add",
            "KZ-MVD",
            "--kind",
            "police",
            "--name-en",
            "MIA",
            "--name-ru",
            "МВД",
        ]);
        self.ok(&[
            "agency",
            "add",
            "TJ-AKN",
            "--kind",
            "drug_control",
            "--name-en",
            "DCA",
            "--name-ru",
            "АКН",
        ]);
        let out = self.run(
            &[
                "user",
                "add",
                "kz.officer",
                "--agency",
                "KZ-MVD",
                "--role",
                "officer",
                "--clearance",
                "CONFIDENTIAL",
            ],
            Some("a long password\n"),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.ok(&[
            "user",
            "add",
            "tj.officer",
            "--agency",
            "TJ-AKN",
            "--role",
            "officer",
            "--clearance",
            "RESTRICTED",
            "--password",
            "another long one",
        ]);
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((base, schema)) = &self.pg {
            let (base, schema) = (base.clone(), schema.clone());
            block(async move {
                if let Ok(mut c) = sqlx::PgConnection::connect(&base).await {
                    let _ = c
                        .execute(format!("DROP SCHEMA IF EXISTS {schema} CASCADE").as_str())
                        .await;
                }
            });
        }
    }
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn workspaces(name: &str) -> Vec<Workspace> {
    let mut out = vec![Workspace::sqlite(name)];
    if let Some(url) = pamir_store::testing::postgres_url() {
        out.push(Workspace::postgres(name, &url));
    }
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_command_has_help() {
    for cmd in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "totp", "--help"],
        vec!["agency", "add", "--help"],
        vec!["import", "--help"],
        vec!["export", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["bench", "import", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_pamir"))
            .args(&cmd)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{cmd:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage:"),
            "{cmd:?}"
        );
    }
}

#[test]
fn reference_data_users_import_export_from_the_command_line() {
    for w in workspaces("flow") {
        assert!(
            w.ok(&["migrate"]).contains("applied: 0001 init")
                || w.ok(&["migrate", "--status"]).contains("up to date")
        );
        w.seed();
        let users = w.ok(&["user", "list"]);
        assert!(
            users.contains("kz.officer") && users.contains("CONFIDENTIAL"),
            "{users}"
        );
        assert!(w
            .ok(&["user", "list", "--country", "tj"])
            .lines()
            .skip(1)
            .all(|l| l.contains("TJ-")));
        assert!(w
            .ok(&["user", "totp", "kz.officer"])
            .contains("otpauth://totp/Pamir:kz.officer?secret="));
        let bad = w.run(
            &[
                "user",
                "add",
                "x",
                "--agency",
                "KZ-MVD",
                "--role",
                "officer",
                "--clearance",
                "SECRET",
                "--password",
                "long enough",
            ],
            None,
        );
        assert!(
            !bad.status.success() && stderr(&bad).contains("username"),
            "{}",
            stderr(&bad)
        );
        let bad = w.run(
            &[
                "agency",
                "add",
                "KZ-MVD",
                "--kind",
                "police",
                "--name-en",
                "x",
                "--name-ru",
                "x",
            ],
            None,
        );
        assert!(
            !bad.status.success() && stderr(&bad).contains("already exists"),
            "{}",
            stderr(&bad)
        );

        let good = w.file(
            "good.jsonl",
            "{\"id\": \"p-1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Хасанов Шерзод\"]}}\n\
             {\"id\": \"p-2\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Rahimov\"]}, \"meta\": {\"classification\": \"CONFIDENTIAL\", \"handling_codes\": [\"NO_ONWARD\"], \"dissemination\": {\"all_members\": true}}}\n",
        );
        let out = w.ok(&[
            "import",
            "--agency",
            "KZ-MVD",
            "--all-members",
            good.to_str().unwrap(),
        ]);
        assert!(
            out.contains("imported 2 lines") && out.contains("2 created"),
            "{out}"
        );
        let bad = w.file("bad.jsonl", "{\"id\": \"q-1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n{\"id\": \"q-2\", \"schema\": \"Persn\"}\n");
        let out = w.run(
            &["import", "--agency", "KZ-MVD", bad.to_str().unwrap()],
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("line 2: schema: unknown schema \"Persn\""),
            "{}",
            stderr(&out)
        );
        let csv = w.file(
            "people.csv",
            "name,birthDate\nKarimov,1990\nToshmatov,1991-05\n",
        );
        let out = w.ok(&[
            "import",
            "--agency",
            "TJ-AKN",
            "--schema",
            "Person",
            "--countries",
            "KZ",
            csv.to_str().unwrap(),
        ]);
        assert!(out.contains("2 created"), "{out}");

        // A Russian-language spreadsheet: semicolons, CRLF line ends, dotted dates, Cyrillic headers.
        let semi = w.file("люди.txt", "ФИО;Дата рождения;Примечание\r\n\"Раҳимов; Фарҳод\";31.12.1985;x\r\nНазаров Умед;1990;y\r\nБад;1991;z;extra\r\n");
        let out = w.run(
            &[
                "import",
                "--agency",
                "TJ-AKN",
                "--schema",
                "Person",
                "--map",
                "ФИО=name",
                "--map",
                "Дата рождения=birthDate,Примечание=-",
                semi.to_str().unwrap(),
            ],
            None,
        );
        assert!(
            stderr(&out).contains("line 4: row: has 4 fields; the header has 3"),
            "line numbers count CRLF lines: {}",
            stderr(&out)
        );
        std::fs::write(&semi, "ФИО;Дата рождения;Примечание\r\n\"Раҳимов; Фарҳод\";31.12.1985;x\r\nНазаров Умед;1990;y\r\n").unwrap();
        let out = w.ok(&[
            "import",
            "--agency",
            "TJ-AKN",
            "--schema",
            "Person",
            "--map",
            "ФИО=name",
            "--map",
            "Дата рождения=birthDate,Примечание=-",
            semi.to_str().unwrap(),
        ]);
        assert!(out.contains("2 created"), "{out}");
        let exported = w.ok(&["export", "--user", "tj.officer"]);
        assert!(
            exported.contains("\"Раҳимов; Фарҳод\"") && exported.contains("1985-12-31"),
            "{exported}"
        );
        let out = w.run(&["export", "--user", "nobody"], None);
        assert!(!out.status.success() && stderr(&out).contains("user nobody not found"));

        let exported = w.ok(&["export", "--user", "kz.officer"]);
        let ids: Vec<String> = exported
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).expect("json line")["id"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        assert_eq!(ids.len(), 4, "{exported}");
        assert!(
            !ids.contains(&"q-1".to_string()),
            "the refused file wrote nothing"
        );
        let out = w.run(&["export", "--user", "tj.officer"], None);
        let tj: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
        assert_eq!(tj.len(), 5, "tj may not read the CONFIDENTIAL one: {tj:?}");
        assert!(stderr(&out).contains("exported 5 records"));
        w.ok(&["user", "disable", "tj.officer"]);
        assert!(w.ok(&["user", "list"]).contains("disabled"));
        assert!(w.ok(&["audit", "verify"]).contains("audit trail intact"));
    }
}

#[test]
fn audit_verify_fails_after_the_database_is_edited() {
    for (case, sql, entry) in [
        ("alter", "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3", 3),
        ("remove", "DELETE FROM audit_log WHERE seq = 4", 5),
        ("reorder", "UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -1", 2),
        ("truncate", "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)", 6),
        // Damage that makes rows unreadable is a broken chain too, never a crash.
        ("retype", "UPDATE audit_log SET at = 'yesterday' WHERE seq = 4; -- pg: ALTER TABLE audit_log ALTER COLUMN at TYPE text USING at::text; UPDATE audit_log SET at = 'yesterday' WHERE seq = 4", 4),
        ("headless", "DROP TABLE chain_head", 7),
    ] {
        for w in workspaces(case) {
            w.seed();
            let out = w.ok(&["audit", "verify"]);
            assert!(out.contains("6 entries verified"), "{out}");
            w.tamper(sql);
            let out = w.run(&["audit", "verify"], None);
            assert_eq!(out.status.code(), Some(1), "{case}: {}", String::from_utf8_lossy(&out.stdout));
            let message = stderr(&out);
            assert!(message.contains(&format!("BROKEN at entry {entry}")), "{case}: {message}");
        }
    }
}

#[test]
fn match_prints_one_line_per_query_best_first() {
    let w = Workspace::sqlite("match");
    let index = w.file(
        "index.jsonl",
        concat!(
            r#"{"id": "kz-1", "schema": "Person", "properties": {"name": ["Хасанов Джамшид Рустамович"], "birthDate": ["1985-03-14"]}}"#, "\n",
            r#"{"id": "kz-2", "schema": "Person", "properties": {"name": ["Хасанова Дильноза Рустамовна"], "birthDate": ["1987-01-02"]}}"#, "\n",
            r#"{"id": "kz-3", "schema": "Person", "properties": {"name": ["Хасанов Джамшид Каримович"], "birthDate": ["1990-07-07"]}}"#, "\n",
            r#"{"id": "pp-1", "schema": "Passport", "properties": {"number": ["N123"]}}"#, "\n",
            r#"{"id": "co-1", "schema": "Company", "properties": {"name": ["ТОО Арлан Транс"]}}"#, "\n",
        ),
    );
    let queries = w.file(
        "queries.jsonl",
        concat!(
            r#"{"id": "q1", "schema": "Person", "properties": {"name": ["Xasanov Jamshid"], "birthDate": ["1985"]}}"#, "\n",
            "\n",
            r#"{"id": "q2", "schema": "Person", "properties": {"name": ["Nobody Atall"]}}"#, "\n",
            r#"{"id": "q3", "schema": "Company", "properties": {"name": ["Arlan Trans LLP"]}}"#, "\n",
        ),
    );
    let (i, q) = (index.display().to_string(), queries.display().to_string());
    let out = w.run(
        &["match", "--index", &i, "--queries", &q, "--top", "3"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one line per query, in order");
    assert_eq!(lines[0]["query"], "q1");
    assert_eq!(lines[0]["matches"][0]["id"], "kz-1");
    assert!(lines[0]["matches"][0]["score"].as_f64().unwrap() >= 0.7);
    assert!(lines[0]["matches"][0]["explanation"]
        .as_str()
        .unwrap()
        .contains("surname: transliteration match"));
    assert_eq!(
        lines[0]["matches"].as_array().unwrap().len(),
        1,
        "neither Хасанова nor the namesake born in 1990 is him"
    );
    assert_eq!(lines[1]["matches"], serde_json::json!([]));
    assert_eq!(lines[2]["matches"][0]["id"], "co-1");
    assert!(stderr(&out).contains("1 skipped"), "{}", stderr(&out));
    // A lower threshold lets weaker matches through, best first.
    let out = w.ok(&[
        "match",
        "--index",
        &i,
        "--queries",
        &q,
        "--threshold",
        "0.01",
    ]);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let scores: Vec<f64> = first["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["score"].as_f64().unwrap())
        .collect();
    assert!(
        first["matches"][0]["id"] == "kz-1" && scores.len() == 2 && scores[0] >= scores[1],
        "{first}"
    );
    // A broken line names itself; a bad threshold is refused.
    let bad = w.file(
        "bad.jsonl",
        "{\"id\": \"a\", \"schema\": \"Person\"}\nnot json\n",
    );
    let b = bad.display().to_string();
    let out = w.run(&["match", "--index", &i, "--queries", &b], None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bad.jsonl line 2: not JSON"),
        "{}",
        stderr(&out)
    );
    let out = w.run(
        &["match", "--index", &i, "--queries", &q, "--threshold", "3"],
        None,
    );
    assert!(!out.status.success() && stderr(&out).contains("between 0 and 1"));
}
