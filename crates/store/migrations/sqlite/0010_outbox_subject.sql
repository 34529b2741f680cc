-- An operation's journal reads its events by subject (the operation's id) in sequence order.
CREATE INDEX outbox_subject_seq ON outbox (subject, seq);
