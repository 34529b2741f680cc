//! The application's background work in one registry. Each worker is a duty run again and again
//! — matching and the live push follow the outbox, noted deliveries are written, overdue
//! acknowledgements escalated, uploads never attached expired. The server starts them all with
//! [`App::start_workers`]; a capability with background work adds its line to [`workers`] and
//! touches nothing else.

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use tokio::{sync::Notify, task::JoinHandle};

use crate::{App, AppResult};

/// One run of a worker: how many things it did (0: nothing to do).
type Run = for<'a> fn(&'a App) -> Pin<Box<dyn Future<Output = AppResult<usize>> + Send + 'a>>;

pub struct Worker {
    pub name: &'static str,
    /// The pause between runs; a worker that can be woken waits at most this.
    pub every: Duration,
    /// What a run that did something says in the log, `{n}` standing for the count; `None`
    /// for workers too busy to log every run.
    pub says: Option<&'static str>,
    run: Run,
    wake: Option<fn(&App) -> &Notify>,
}

/// Every background worker, in the order they start.
pub fn workers() -> Vec<Worker> {
    vec![
        Worker {
            name: "matching",
            every: Duration::from_millis(500),
            says: None,
            run: |app| Box::pin(async move { app.matching().sync_matches().await }),
            wake: None,
        },
        Worker {
            name: "live events",
            every: crate::live::POLL,
            says: None,
            run: |app| Box::pin(async { app.broadcast_new().await.map(|()| 0) }),
            wake: Some(|app| app.live.wake_signal()),
        },
        Worker {
            name: "message deliveries",
            every: Duration::from_millis(200),
            says: None,
            run: |app| Box::pin(async move { app.messaging().flush_deliveries().await }),
            wake: None,
        },
        Worker {
            name: "escalation",
            every: Duration::from_secs(10),
            says: Some("escalated {n} overdue acknowledgement(s)"),
            run: |app| Box::pin(async move { app.messaging().escalate_overdue().await }),
            wake: None,
        },
        Worker {
            name: "task escalation",
            every: Duration::from_secs(60),
            says: Some("escalated {n} overdue task(s) of operations"),
            run: |app| Box::pin(async move { app.operations().escalate_overdue_tasks().await }),
            wake: None,
        },
        Worker {
            name: "pre-export deadlines",
            every: Duration::from_secs(60),
            says: Some("flagged {n} pre-export notification(s) unanswered past their deadline"),
            run: |app| Box::pin(async move { app.pre_exports().flag_overdue().await }),
            wake: None,
        },
        Worker {
            name: "task reminders",
            every: Duration::from_secs(300),
            says: Some("sent {n} task reminder(s) of operations"),
            run: |app| Box::pin(async move { app.operations().remind_due_tasks().await }),
            wake: None,
        },
        Worker {
            name: "upload expiry",
            every: Duration::from_secs(600),
            says: Some("removed {n} upload(s) never attached to a message"),
            run: |app| Box::pin(async move { app.attachments().expire_uploads().await }),
            wake: None,
        },
    ]
}

/// The running workers; they stop when this is dropped.
pub struct Workers(Vec<JoinHandle<()>>);

impl Drop for Workers {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

impl Worker {
    /// Runs the worker until its task is aborted. A failed run is logged with the worker's
    /// name and tried again after the pause (at least a second, so a broken database is not
    /// hammered).
    pub async fn run_forever(&self, app: Arc<App>) {
        loop {
            let pause = match (self.run)(&app).await {
                Ok(n) => {
                    if let (Some(says), true) = (self.says, n > 0) {
                        tracing::info!("{}", says.replace("{n}", &n.to_string()));
                    }
                    self.every
                }
                Err(e) => {
                    tracing::warn!("{}: {e}", self.name);
                    self.every.max(Duration::from_secs(1))
                }
            };
            match self.wake {
                Some(signal) => {
                    let _ = tokio::time::timeout(pause, signal(&app).notified()).await;
                }
                None => tokio::time::sleep(pause).await,
            }
        }
    }
}

impl App {
    /// Starts every background worker; they run until the returned handle is dropped.
    pub fn start_workers(self: &Arc<Self>) -> Workers {
        Workers(
            workers()
                .into_iter()
                .map(|w| {
                    let app = self.clone();
                    tokio::spawn(async move { w.run_forever(app).await })
                })
                .collect(),
        )
    }

    /// Runs one worker by name until the task is aborted (tests start only what they need).
    pub async fn run_worker(self: Arc<Self>, name: &str) {
        match workers().into_iter().find(|w| w.name == name) {
            Some(w) => w.run_forever(self).await,
            None => tracing::error!("no worker named {name:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn worker_names_are_unique() {
        let names: std::collections::BTreeSet<_> =
            super::workers().iter().map(|w| w.name).collect();
        assert_eq!(names.len(), super::workers().len());
    }
}
