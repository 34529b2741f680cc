-- Messages between agencies, their recipients' delivery states, full-text search, attachments.
CREATE TABLE messages (
    mid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL,
    parent_id TEXT,
    relation TEXT NOT NULL CHECK (relation IN ('new', 'reply', 'forward')),
    channel TEXT,
    sender TEXT NOT NULL,
    sender_agency TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    priority TEXT NOT NULL,
    classification BIGINT NOT NULL,
    handling_codes TEXT NOT NULL,
    links TEXT NOT NULL,
    addressing TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ack_due_at BIGINT,
    search_text TEXT NOT NULL
);
CREATE INDEX messages_thread ON messages (thread_id, mid);
CREATE INDEX messages_sender_agency ON messages (sender_agency, mid);
CREATE INDEX messages_channel ON messages (channel, mid);

CREATE TABLE message_recipients (
    message_id TEXT NOT NULL REFERENCES messages (id),
    mid BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('agency', 'country', 'channel')),
    code TEXT NOT NULL,
    delivered_at BIGINT,
    read_at BIGINT,
    read_by TEXT,
    acked_at BIGINT,
    acked_by TEXT,
    escalated_at BIGINT,
    PRIMARY KEY (message_id, kind, code)
);
CREATE INDEX message_recipients_inbox ON message_recipients (code, kind, mid);
CREATE INDEX message_recipients_due ON message_recipients (acked_at, escalated_at);

CREATE VIRTUAL TABLE message_fts USING fts5(
    search_text, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0'
);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    message_id TEXT REFERENCES messages (id),
    owner_agency TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    key_id TEXT NOT NULL,
    wrapped_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

-- The live event stream reads the outbox by kind from a sequence number.
CREATE INDEX outbox_kind_seq ON outbox (kind, seq);

-- What a message links to (records, cases, operations), for filtering by link.
CREATE TABLE message_links (
    mid BIGINT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (target, mid)
);
