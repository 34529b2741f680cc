-- Risk communications (early warning): an analyst's warning about a substance, issued, updated
-- (version counts the changes) and retracted (status 'retracted', with its reason). Read as a
-- detection of the issuing agency would be (issuer, classification, observers: observer
-- country codes separated by spaces); the whole communication is the domain's draft JSON.
CREATE TABLE risk_communications (
    id TEXT PRIMARY KEY,
    substance_id TEXT NOT NULL REFERENCES substances (id),
    issuer TEXT NOT NULL,
    classification BIGINT NOT NULL,
    observers TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    draft TEXT NOT NULL,
    retraction TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX risk_communications_substance ON risk_communications (substance_id, updated_at);
CREATE INDEX risk_communications_updated ON risk_communications (updated_at, id);
