-- Matches between records (pair stored once, a_id < b_id) and disclosure requests.
CREATE TABLE matches (
    id TEXT PRIMARY KEY,
    a_id TEXT NOT NULL,
    b_id TEXT NOT NULL,
    a_owner TEXT NOT NULL,
    b_owner TEXT NOT NULL,
    schema TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    explanation TEXT NOT NULL,
    found_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (a_id, b_id)
);
CREATE INDEX matches_b ON matches (b_id);
CREATE INDEX matches_a_owner ON matches (a_owner, updated_at);
CREATE INDEX matches_b_owner ON matches (b_owner, updated_at);

CREATE TABLE disclosure_requests (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    owner_agency TEXT NOT NULL,
    requester_agency TEXT NOT NULL,
    requester TEXT NOT NULL,
    match_id TEXT,
    justification TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    decided_by TEXT,
    decision_reason TEXT,
    added_codes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX disclosure_owner ON disclosure_requests (owner_agency, status, created_at);
CREATE INDEX disclosure_requester ON disclosure_requests (requester_agency, status, created_at);
CREATE INDEX disclosure_record ON disclosure_requests (record_id, requester_agency);

-- How far along the outbox the stored matches are: written with them, read at start.
CREATE TABLE matching_cursor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO matching_cursor (id, seq) VALUES (1, 0);

-- Opaque references handed out with screening hits, so that a hit never shows the record's id.
CREATE TABLE hit_references (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
