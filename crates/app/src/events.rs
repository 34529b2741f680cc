//! The events the application writes beside its changes. The store persists and reads events;
//! the application decides what happened and says so here, in one place per kind of change.
//! (A new record's `record.created` is the exception: the bulk insert writes it in the same
//! statement as the record, built from the row by the domain's `RecordRef`.)

use pamir_domain::{
    event::{Event, RecordRef},
    message::{Addressing, Receipt, RecipientKind},
    AgencyCode,
};
use pamir_store::{Disclosure, Link, MatchRow, NewMessage, StoredRecord};

use crate::{AppError, AppResult};

fn record_ref(r: &StoredRecord) -> RecordRef {
    RecordRef {
        id: r.entity.id.to_string(),
        schema: r.entity.schema.name.to_string(),
        owner: r.meta.owner.clone(),
        version: r.version,
    }
}

pub(crate) fn record_updated(r: &StoredRecord) -> Event {
    Event::RecordUpdated(record_ref(r))
}

pub(crate) fn record_deleted(r: &StoredRecord) -> Event {
    Event::RecordDeleted(record_ref(r))
}

pub(crate) fn link_created(l: &Link) -> Event {
    Event::LinkCreated {
        id: l.id.clone(),
        kind: l.kind.as_str().to_string(),
        source: l.source.clone(),
        target: l.target.clone(),
    }
}

pub(crate) fn link_deleted(id: &str) -> Event {
    Event::LinkDeleted { id: id.to_string() }
}

fn agency(code: &str) -> AppResult<AgencyCode> {
    AgencyCode::parse(code).map_err(|e| AppError::Internal(format!("stored agency {code:?}: {e}")))
}

/// A new match (`id` as stored: an existing pair keeps its id).
pub(crate) fn match_found(id: &str, m: &MatchRow) -> AppResult<Event> {
    Ok(Event::MatchFound {
        id: id.to_string(),
        records: [m.a_id.clone(), m.b_id.clone()],
        owners: [agency(&m.a_owner)?, agency(&m.b_owner)?],
        score: m.score,
    })
}

pub(crate) fn disclosure_requested(d: &Disclosure) -> AppResult<Event> {
    Ok(Event::DisclosureRequested {
        id: d.id.clone(),
        record: d.record_id.clone(),
        owner: agency(&d.owner_agency)?,
        requester: agency(&d.requester_agency)?,
    })
}

pub(crate) fn disclosure_decided(d: &Disclosure) -> AppResult<Event> {
    Ok(Event::DisclosureDecided {
        id: d.id.clone(),
        record: d.record_id.clone(),
        requester: agency(&d.requester_agency)?,
        status: d.status.clone(),
    })
}

pub(crate) fn message_created(m: &NewMessage) -> Event {
    Event::MessageCreated {
        id: m.id.clone(),
        sender: m.sender.clone(),
        priority: m.priority.as_str().to_string(),
        channel: m.channel.clone(),
        addressing: m.addressing.clone(),
    }
}

pub(crate) fn message_receipt(
    id: &str,
    kind: RecipientKind,
    code: &str,
    state: Receipt,
    by: &str,
    addressing: &Addressing,
) -> Event {
    Event::MessageReceipt {
        id: id.to_string(),
        recipient_kind: kind.as_str().to_string(),
        recipient: code.to_string(),
        state: state.as_str().to_string(),
        by: by.to_string(),
        addressing: addressing.clone(),
    }
}

pub(crate) fn message_escalated(
    id: &str,
    kind: RecipientKind,
    code: &str,
    country: &str,
    addressing: &Addressing,
) -> Event {
    Event::MessageEscalated {
        id: id.to_string(),
        recipient_kind: kind.as_str().to_string(),
        recipient: code.to_string(),
        country: country.to_string(),
        addressing: addressing.clone(),
    }
}
