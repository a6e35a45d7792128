"""Table definitions for Skydd's own store.

The migrations in ``migrations/versions`` create these tables; the
definitions here are what the code queries through.  Keep both in step: a
test compares a migrated database with this metadata.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first event: there is nothing before it."""

audit_events = Table(
    "audit_events",
    metadata,
    # seq is assigned by AuditLog under the head lock, never by the database,
    # so that it is part of what each row's hash commits to.
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    # ISO 8601 in UTC with microseconds: text sorts in time order and reads
    # back byte for byte, which the hash needs.
    Column("at", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # "sha256", or "hmac-sha256" when SKYDD_AUDIT_KEY was set at append time.
    Column("hash_alg", String(16), nullable=False),
    Index("ix_audit_events_at", "at"),
    Index("ix_audit_events_kind", "kind"),
)

audit_head = Table(
    "audit_head",
    metadata,
    # One row (id=1): the lock that serialises appends and the newest
    # (seq, hash), updated in the same transaction as each insert.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

locks = Table(
    "locks",
    metadata,
    # A named lock held by one process at a time (retention runs); see locks.py.
    Column("name", String(100), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("acquired_at", String(32), nullable=False),
    Column("heartbeat_at", String(32), nullable=False),
)

erasure_sagas = Table(
    "erasure_sagas",
    metadata,
    # One erasure (or a batch of them) carried out as a saga across the company's
    # databases; see skydd.execution.saga. `members` holds each request's id and, while
    # the saga runs, the identities it searches by; they are cleared when it ends.
    Column("saga_id", String(40), primary_key=True),
    Column("status", String(16), nullable=False),  # running | done | failed
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    # The process carrying it out, so two never resume the same saga at once.
    Column("owner", String(200), nullable=True),
    Column("heartbeat_at", String(32), nullable=True),
    # sha256 of the identities given, to resume an unfinished saga on a rerun.
    Column("subject_hash", String(64), nullable=True),
    Column("members", Text, nullable=False),
    Column("options", Text, nullable=False),
    Column("result", Text, nullable=True),
    Index("ix_erasure_sagas_subject_hash", "subject_hash"),
    Index("ix_erasure_sagas_status", "status"),
)

erasure_steps = Table(
    "erasure_steps",
    metadata,
    # One transaction in one company database. `ops` holds the primary keys it
    # changes until the saga ends; `summary` its counts (what the audit event says).
    Column("saga_id", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("system", String(128), nullable=False),
    Column("status", String(16), nullable=False),  # pending | done
    Column("ops", Text, nullable=True),
    Column("summary", Text, nullable=False),
    Column("done_at", String(32), nullable=True),
)

blocked_rows = Table(
    "blocked_rows",
    metadata,
    # Rows an erasure had to keep under a legal hold (EN-6): blocked from every
    # other use until `until` (the last day they must be kept; NULL: no end known),
    # then released and erased (skydd.execution.blocks).
    Column("table_key", String(300), primary_key=True),
    Column("row_key", String(500), primary_key=True),  # the primary key, as tagged JSON
    Column("request_id", String(40), nullable=False),
    Column("hold", String(128), nullable=True),
    Column("law", String(500), nullable=True),
    Column("ground", String(16), nullable=True),
    Column("until", String(10), nullable=True),
    Column("flag_column", String(128), nullable=True),
    Column("blocked_at", String(32), nullable=False),
    Column("released_at", String(32), nullable=True),
    Index("ix_blocked_rows_until", "released_at", "until"),
    Index("ix_blocked_rows_request", "request_id"),
)

# --- workflow (migration 0004) ---
workflow_requests = Table(
    "workflow_requests",
    metadata,
    # One data subject request and where it stands (skydd.workflow). `identities` holds
    # the normalised values while the request is open and is cleared when it ends; the
    # keyed hashes in workflow_identity_hashes stay for repeat detection (DSR-6).
    Column("request_id", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("received_at", String(32), nullable=False),
    Column("received_on", String(10), nullable=False),
    Column("country", String(2), nullable=False),
    Column("subdivision", String(8), nullable=True),
    Column("due", String(10), nullable=False),
    Column("original_due", String(10), nullable=False),
    Column("identity_kinds", String(300), nullable=False),
    Column("identities", Text, nullable=True),
    Column("updated_at", String(32), nullable=False),
    Column("repeat_of", String(40), nullable=True),
    Column("result_ref", String(200), nullable=True),
    Column("reason", Text, nullable=True),
    Column("told_at", String(10), nullable=True),
    Column("fee_amount", String(32), nullable=True),
    Column("fee_reason", Text, nullable=True),
    Index("ix_workflow_requests_state_due", "state", "due"),
    Index("ix_workflow_requests_due", "due"),
    Index("ix_workflow_requests_kind_due", "kind", "due"),
)

workflow_request_events = Table(
    "workflow_request_events",
    metadata,
    # Each step of a request: who, what, from which state to which, and why.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(40), nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("from_state", String(16), nullable=True),
    Column("to_state", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("details", Text, nullable=False),
    Index("ix_workflow_request_events_request", "request_id", "seq"),
)

workflow_identity_hashes = Table(
    "workflow_identity_hashes",
    metadata,
    # HMAC-SHA-256 of each normalised identity (kind and value), to find earlier
    # requests by the same person without keeping the value.
    Column("request_id", String(40), primary_key=True),
    Column("identity_hash", String(64), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("received_on", String(10), nullable=False),
    Index("ix_workflow_identity_hashes_hash", "identity_hash", "kind", "received_on"),
)

workflow_staff = Table(
    "workflow_staff",
    metadata,
    # People working for the controller, their role and the sha256 of their token.
    Column("name", String(100), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", String(32), nullable=True),
)

workflow_secrets = Table(
    "workflow_secrets",
    metadata,
    # The per-store key for identity hashes when SKYDD_IDENTITY_KEY is not set.
    Column("name", String(64), primary_key=True),
    Column("value", String(128), nullable=False),
)
# (end of workflow)

# --- consent (migration 0005) ---
# The consent ledger and the person's standing (skydd.consent). Every table is
# append-only with a database-assigned seq, so the in-memory decision index
# reloads by reading what is newer than the seq it has seen. No identity is
# stored in clear: `subject`, `identity_hash` and `ip_hash` are keyed hashes
# (skydd.consent.keys).

consent_events = Table(
    "consent_events",
    metadata,
    # One row per purpose of one choice (CON-3): a banner choice of three
    # purposes is three rows with one event_id.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("at", String(32), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("subject_kind", String(8), nullable=False),  # person | visitor
    Column("purpose", String(128), nullable=False),
    Column("decision", String(10), nullable=False),  # granted | refused | withdrawn
    Column("method", String(64), nullable=False),  # banner, form, phone, link, web_page …
    Column("channel", String(32), nullable=False),  # web, phone, email, post, sms, in_person
    Column("language", String(8), nullable=True),
    Column("notice_version", String(64), nullable=True),
    Column("notice_hash", String(64), nullable=True),
    Column("recorded_by", String(200), nullable=True),  # staff member, for phone consent
    Column("ip_hash", String(64), nullable=True),  # keyed hash of the /24 or /48 network
    Column("evidence", Text, nullable=True),  # JSON: call reference, script, GPC …
    Index("ix_consent_events_subject", "subject", "purpose"),
    Index("ix_consent_events_at", "at"),
    Index("ix_consent_events_event_id", "event_id"),
)

consent_links = Table(
    "consent_links",
    metadata,
    # Which subject each identity (keyed hash of kind and normalised value) belongs to.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("identity_hash", String(64), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Index("ix_consent_links_identity", "identity_hash", "subject", unique=True),
)

consent_standing = Table(
    "consent_standing",
    metadata,
    # Everything but consent that decides what may be done: channel preferences,
    # preference-register checks, restriction (Art. 18), objections (Art. 21) and
    # the DPO's decisions on them. The newest row of a kind wins.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("at", String(32), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # channel | register | restriction | objection
    Column("scope", String(140), nullable=False),  # 'email', 'NIX', 'purpose:P', 'all' …
    Column("state", String(16), nullable=False),  # allowed/opted_out, listed/clear, on/off …
    Column("checked_on", String(10), nullable=True),  # a register check's date (SE-4)
    Column("told_at", String(32), nullable=True),  # when the person was told (DSR-9)
    Column("method", String(64), nullable=True),
    Column("recorded_by", String(200), nullable=True),
    Column("request_id", String(40), nullable=True),
    Column("note", Text, nullable=True),  # a legal ground, never the person's own words
    Index("ix_consent_standing_subject", "subject", "kind"),
)

suppression = Table(
    "suppression",
    metadata,
    # Identities that must never be used for direct marketing again (Art. 21(3)),
    # as keyed hashes so that the list outlives an erasure of the person.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("identity_hash", String(64), nullable=False),
    Column("scope", String(140), nullable=False),  # 'marketing', 'purpose:P', 'channel:C'
    Column("at", String(32), nullable=False),
    Column("request_id", String(40), nullable=True),
    Index("ix_suppression_identity", "identity_hash", "scope", unique=True),
)

consent_keys = Table(
    "consent_keys",
    metadata,
    # A fingerprint of the key the hashes were made with: a store written with one
    # key refuses another, or every suppression would silently stop matching.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("fingerprint", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
)
# (end of consent)

# --- outbox (migration 0006) ---
outbox_items = Table(
    "outbox_items",
    metadata,
    # One Art. 19 notification to one recipient (skydd.outbox): where it goes (a
    # recipient's business address from the map, not a data subject's), what it says
    # (`body`: JSON; its `subject` part is cleared once the item is sent or failed),
    # and its delivery state: pending | sent | failed.
    Column("item_id", String(40), primary_key=True),
    Column("request_id", String(40), nullable=False),
    Column("event", String(16), nullable=False),  # rectification | erasure | restriction
    Column("recipient", String(128), nullable=False),  # the key under `recipients:`
    Column("channel", String(16), nullable=False),  # email | webhook | none
    Column("target", String(500), nullable=True),
    Column("secret_env", String(128), nullable=True),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("next_attempt_at", String(32), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("sent_at", String(32), nullable=True),
    Column("message_id", String(300), nullable=True),
    Index("ix_outbox_items_due", "status", "next_attempt_at"),
    Index("ix_outbox_items_request", "request_id"),
)
# (end of outbox)

# --- notices (migration 0007) ---
notice_versions = Table(
    "notice_versions",
    metadata,
    # One published privacy notice (skydd.notice.versions). `sha256` covers the notice
    # texts in every language published, so the consent ledger and the banner can say
    # which text a person saw; `content` holds the structured facts the notice was
    # written from (purposes, retention, recipients, cookies), for `skydd notice diff`.
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("version_id", String(16), nullable=False, unique=True),
    Column("published_at", String(32), nullable=False),
    Column("effective", String(10), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("map_sha256", String(64), nullable=False),
    Column("languages", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("content", Text, nullable=False),
    Index("ix_notice_versions_sha256", "sha256"),
)
# (end of notices)

# --- breaches (migration 0008) ---
breaches = Table(
    "breaches",
    metadata,
    # The breach register (Art. 33(5), LEGAL.md BR-3): every personal data breach, notified
    # or not. Times are ISO 8601 in UTC; the 72-hour clock runs from `aware_at`.
    # `details` holds the facts as JSON (nature, categories, numbers, consequences,
    # measures, contact, the decisions and their reasons); see skydd.breach.model.
    Column("breach_id", String(40), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("status", String(16), nullable=False),  # open | closed
    Column("occurred_at", String(32), nullable=True),
    Column("aware_at", String(32), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("closed_at", String(32), nullable=True),
    Column("notify_authority", String(8), nullable=True),  # yes | no; NULL: not decided
    Column("authority_notified_at", String(32), nullable=True),
    Column("notify_people", String(8), nullable=True),  # yes | no; NULL: not decided
    Column("people_notified_at", String(32), nullable=True),
    Column("details", Text, nullable=False),
    Index("ix_breaches_status", "status"),
    Index("ix_breaches_aware_at", "aware_at"),
)
# (end of breaches)

# --- scans (migration 0009) ---
scan_runs = Table(
    "scan_runs",
    metadata,
    # One `skydd scan`: what was read and how many findings it gave (skydd.scan.record).
    Column("run_id", String(40), primary_key=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=False),
    Column("map_hash", String(64), nullable=True),
    Column("mode", String(16), nullable=False),  # sample | full
    Column("sample_size", Integer, nullable=True),
    Column("tables", Integer, nullable=False),
    Column("columns", Integer, nullable=False),
    Column("values_read", Integer, nullable=False),
    Column("millis", Integer, nullable=False),
    Column("findings", Integer, nullable=False),
    Column("critical", Integer, nullable=False),
    Index("ix_scan_runs_started_at", "started_at"),
)

scan_findings = Table(
    "scan_findings",
    metadata,
    # What one run found in one column. `samples` holds masked values only (JSON list),
    # never a value in full: the store must not become a copy of what it warns about.
    Column("run_id", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("table_key", String(300), nullable=False),
    Column("column_name", String(128), nullable=False),
    Column("detector", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("matches", Integer, nullable=False),
    Column("sampled", Integer, nullable=False),
    Column("declared", String(200), nullable=True),
    Column("samples", Text, nullable=False),
)
# (end of scans)

# --- retention (migration 0010) ---
retention_reviews = Table(
    "retention_reviews",
    metadata,
    # AS-7: the latest review of one row under one `action: review` rule (the history is
    # in the audit log). The row leaves the review list until its next review date.
    Column("rule", String(128), primary_key=True),
    Column("table_key", String(300), primary_key=True),
    Column("row_key", String(500), primary_key=True),  # the primary key, as tagged JSON
    Column("reviewed_on", String(10), nullable=False),
    Column("reviewed_at", String(32), nullable=False),
    Column("reviewed_by", String(200), nullable=False),
    Column("note", Text, nullable=True),
)

person_holds = Table(
    "person_holds",
    metadata,
    # A legal hold the DPO placed on one person (a legal claim, Art. 17(3)(e)): it keeps
    # the rows found for them at the time from retention and erasure until released or
    # past `until`. No identity is kept in clear: see person_hold_identities.
    Column("hold_id", String(40), primary_key=True),
    Column("hold", String(128), nullable=True),  # the map's person-scoped hold, if any
    Column("reason", Text, nullable=False),
    Column("until", String(10), nullable=True),
    Column("placed_at", String(32), nullable=False),
    Column("placed_by", String(200), nullable=False),
    Column("released_at", String(32), nullable=True),
    Column("released_by", String(200), nullable=True),
    Column("identity_kinds", String(300), nullable=False),
    Index("ix_person_holds_released", "released_at", "until"),
)

person_hold_identities = Table(
    "person_hold_identities",
    metadata,
    # HMAC-SHA-256 of each normalised identity of the person (given or found), so an
    # erasure request by any of them finds the hold without the value being kept.
    Column("hold_id", String(40), primary_key=True),
    Column("identity_hash", String(64), primary_key=True),
    Index("ix_person_hold_identities_hash", "identity_hash"),
)

person_hold_rows = Table(
    "person_hold_rows",
    metadata,
    # The rows found for the person when the hold was placed: what retention keeps.
    Column("hold_id", String(40), primary_key=True),
    Column("table_key", String(300), primary_key=True),
    Column("row_key", String(500), primary_key=True),  # the primary key, as tagged JSON
    Index("ix_person_hold_rows_table", "table_key", "row_key"),
)
# (end of retention)
