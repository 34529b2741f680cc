-- Analysts' assessment notes on a detection, in the order written.
CREATE TABLE detection_notes (
    detection_id TEXT NOT NULL REFERENCES detections (id),
    seq BIGINT NOT NULL,
    agency TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (detection_id, seq)
);
