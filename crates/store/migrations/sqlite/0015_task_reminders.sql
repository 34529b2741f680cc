-- When a task's reminder went to its assignee (once per task).
ALTER TABLE operation_tasks ADD COLUMN reminded_at BIGINT;
