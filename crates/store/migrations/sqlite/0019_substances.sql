-- The substance registry (early warning): one row per substance, with its names and national
-- statuses as the JSON the domain parses; its identifiers unique. substance_names holds every
-- name's key (letters and digits, lower case): English and Russian names' keys are unique across
-- the registry (unique_key), local and street names' are not (NULL there), as one street name
-- may name several substances.
CREATE TABLE substances (
    id TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    class TEXT NOT NULL,
    cas TEXT UNIQUE,
    inchikey TEXT UNIQUE,
    formula TEXT,
    international TEXT NOT NULL,
    draft TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX substances_class ON substances (class);

CREATE TABLE substance_names (
    substance_id TEXT NOT NULL REFERENCES substances (id),
    seq BIGINT NOT NULL,
    name_key TEXT NOT NULL,
    unique_key TEXT UNIQUE,
    PRIMARY KEY (substance_id, seq)
);
CREATE INDEX substance_names_key ON substance_names (name_key);
