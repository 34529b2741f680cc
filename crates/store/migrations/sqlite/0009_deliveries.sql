-- Controlled deliveries: the consignment of an operation of that kind, and its legs in order.
-- Quantities are decimal text; moments are `YYYY-MM-DDTHH:MM` (UTC). Both change only from the
-- version the writer read.
CREATE TABLE deliveries (
    operation_id TEXT PRIMARY KEY REFERENCES operations (id),
    kind TEXT NOT NULL,
    substance TEXT NOT NULL,
    declared_quantity TEXT,
    actual_quantity TEXT,
    unit TEXT NOT NULL,
    concealment TEXT NOT NULL,
    conveyance TEXT NOT NULL,
    vehicle TEXT NOT NULL,
    markers TEXT NOT NULL,
    substitution TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE delivery_legs (
    id TEXT PRIMARY KEY,
    operation_id TEXT NOT NULL REFERENCES operations (id),
    seq BIGINT NOT NULL,
    from_party TEXT NOT NULL,
    to_party TEXT NOT NULL,
    crossing_point TEXT NOT NULL,
    planned_departure TEXT NOT NULL,
    planned_handover TEXT NOT NULL,
    actual_departure TEXT,
    actual_handover TEXT,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (operation_id, seq)
);
