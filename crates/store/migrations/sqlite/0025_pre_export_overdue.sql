-- Whether the sweep for unanswered notifications past their deadline has dealt with one (1:
-- flagged as overdue to both sides, or found answered or withdrawn in time): each is flagged once.
ALTER TABLE pre_export_notifications ADD COLUMN overdue_done BIGINT NOT NULL DEFAULT 0;
