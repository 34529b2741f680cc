-- Results a participating agency reports under an operation, and the Seizure records (its own)
-- each report links: the operation report adds those records up as they stand.
CREATE TABLE operation_results (
    id TEXT PRIMARY KEY,
    operation_id TEXT NOT NULL REFERENCES operations (id),
    agency TEXT NOT NULL,
    arrests BIGINT NOT NULL,
    cases_opened BIGINT NOT NULL,
    assets_value TEXT,
    assets_currency TEXT NOT NULL,
    note TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_at BIGINT NOT NULL
);
CREATE INDEX operation_results_operation ON operation_results (operation_id, reported_at);

CREATE TABLE operation_result_seizures (
    result_id TEXT NOT NULL REFERENCES operation_results (id),
    record_id TEXT NOT NULL,
    PRIMARY KEY (result_id, record_id)
);
