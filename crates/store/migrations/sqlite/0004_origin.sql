-- Every event names the node it comes from and its place in that node's sequence, so that
-- streams of several nodes can be merged. NULL means this node, and the event's own seq: rows
-- written before this migration, and every local write, which so stays one statement.
ALTER TABLE outbox ADD COLUMN origin TEXT;
ALTER TABLE outbox ADD COLUMN origin_seq BIGINT;

-- This installation's node id: chosen (configuration) or made on first use, then fixed.
CREATE TABLE node_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    node TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
