-- Each state's authorisation of a controlled delivery: one row per operation and country,
-- replaced when the state records it again (consent given, then withdrawn). Dates `YYYY-MM-DD`.
CREATE TABLE delivery_authorisations (
    operation_id TEXT NOT NULL REFERENCES operations (id),
    country TEXT NOT NULL,
    authority TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    reference TEXT NOT NULL,
    authorised_on TEXT NOT NULL,
    consent TEXT NOT NULL CHECK (consent IN ('given', 'withdrawn')),
    duty_contact TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (operation_id, country)
);
