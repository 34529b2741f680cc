-- Pamir schema, SQLite dialect. Keep in step with ../postgres/0001_init.sql (a test checks parity).
CREATE TABLE countries (
    code TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    country TEXT NOT NULL REFERENCES countries(code),
    kind TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    agency TEXT NOT NULL REFERENCES agencies(code),
    roles TEXT NOT NULL,
    clearance BIGINT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step BIGINT,
    language TEXT,
    disabled BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_agency ON users(agency);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL REFERENCES users(username),
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions(username);

CREATE TABLE records (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    schema TEXT NOT NULL,
    properties TEXT NOT NULL,
    caption TEXT NOT NULL,
    -- No foreign key: a per-row check would dominate bulk imports. Records are written only for
    -- agencies the application has found registered, and agencies are never deleted.
    owner_agency TEXT NOT NULL,
    owner_country TEXT NOT NULL,
    classification BIGINT NOT NULL,
    all_members BIGINT NOT NULL,
    scope_countries TEXT NOT NULL,
    scope_agencies TEXT NOT NULL,
    handling_codes TEXT NOT NULL,
    evaluation TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    search_text TEXT NOT NULL
);
CREATE INDEX records_owner ON records(owner_agency);
CREATE INDEX records_schema ON records(schema);

-- The dissemination list as rows, so that listing queries filter by the access policy in SQL.
CREATE TABLE record_scope (
    rid BIGINT NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (rid, kind, code)
);
CREATE INDEX record_scope_code ON record_scope(code, kind);

CREATE VIRTUAL TABLE record_fts USING fts5(
    search_text, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0'
);

CREATE TABLE links (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    role TEXT,
    owner_agency TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX links_source ON links(source_id);
CREATE INDEX links_target ON links(target_id);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    agency TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit_log(actor);
CREATE INDEX audit_action ON audit_log(action);
CREATE INDEX audit_target ON audit_log(target);

-- The head of the audit chain. Every write transaction takes it first, which serialises writers
-- so that audit and outbox sequence numbers are assigned and committed in one order.
CREATE TABLE chain_head (
    id BIGINT PRIMARY KEY,
    audit_seq BIGINT NOT NULL,
    audit_hash TEXT NOT NULL
);
INSERT INTO chain_head (id, audit_seq, audit_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
