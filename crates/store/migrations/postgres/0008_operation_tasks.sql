-- Tasks of an operation and their comments. A task's status changes only from the version the
-- writer read; `escalated_at` marks an overdue task already reported to its coordinator.
CREATE TABLE operation_tasks (
    id TEXT PRIMARY KEY,
    operation_id TEXT NOT NULL REFERENCES operations (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    assignee TEXT NOT NULL,
    due TEXT NOT NULL,
    remind TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    escalated_at BIGINT
);
CREATE INDEX operation_tasks_operation ON operation_tasks (operation_id, due);
CREATE INDEX operation_tasks_pending ON operation_tasks (status, due);

CREATE TABLE operation_task_comments (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES operation_tasks (id),
    author TEXT NOT NULL,
    agency TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX operation_task_comments_task ON operation_task_comments (task_id, created_at);
