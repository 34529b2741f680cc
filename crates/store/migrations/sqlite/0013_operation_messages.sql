-- A message may be addressed to an operation: one recipient row of kind 'operation' whose code is
-- the operation id, read and acknowledged by whoever takes part in it. SQLite cannot change a
-- CHECK constraint in place: the table is rebuilt with its rows and indexes.
CREATE TABLE message_recipients_new (
    message_id TEXT NOT NULL REFERENCES messages (id),
    mid BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('agency', 'country', 'channel', 'operation')),
    code TEXT NOT NULL,
    delivered_at BIGINT,
    read_at BIGINT,
    read_by TEXT,
    acked_at BIGINT,
    acked_by TEXT,
    escalated_at BIGINT,
    PRIMARY KEY (message_id, kind, code)
);
INSERT INTO message_recipients_new (message_id, mid, kind, code, delivered_at, read_at, read_by, acked_at, acked_by, escalated_at)
    SELECT message_id, mid, kind, code, delivered_at, read_at, read_by, acked_at, acked_by, escalated_at FROM message_recipients;
DROP TABLE message_recipients;
ALTER TABLE message_recipients_new RENAME TO message_recipients;
CREATE INDEX message_recipients_inbox ON message_recipients (code, kind, mid);
CREATE INDEX message_recipients_due ON message_recipients (acked_at, escalated_at);
