-- 0001_schema.sql — warehouse schema, version 1.
-- Purpose: the canonical case record (DESIGN §3), its dimensions (§4),
--          ingest runs, rejected rows and provenance.
-- Parameters: none.  Applied once by the migration runner (pipeline/store.c)
--          inside a transaction, which then sets PRAGMA user_version = 1.
-- Runnable as it stands:  sqlite3 new.db < queries/0001_schema.sql
--
-- Timestamps are stored three ways so that every stage reads them cheaply:
--   <field>_ts    INTEGER  Unix seconds, UTC (date-only values: local
--                          midnight of that date, converted to UTC)
--   <field>_day   INTEGER  the local calendar date as YYYYMMDD, in the
--                          regulator's time zone (period membership)
--   <field>_prec  INTEGER  1 = date only, 2 = date and time
-- The view case_view shows them as ISO 8601 text.

CREATE TABLE country (
    code            TEXT PRIMARY KEY,      -- AL BA ME MK RS XK
    name_en         TEXT NOT NULL,
    regulator       TEXT,                  -- from the profile, at ingest
    short_name      TEXT,
    language        TEXT,
    timezone        TEXT
) WITHOUT ROWID;

INSERT INTO country(code, name_en) VALUES
    ('AL', 'Albania'), ('BA', 'Bosnia and Herzegovina'), ('ME', 'Montenegro'),
    ('MK', 'North Macedonia'), ('RS', 'Serbia'), ('XK', 'Kosovo');

-- Dimensions: integer ids so that grouping millions of rows is cheap.
CREATE TABLE category (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    dsa     TEXT NOT NULL                  -- EU DSA STATEMENT_CATEGORY_*
);
INSERT INTO category(id, code, dsa) VALUES
    (1, 'piracy', 'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS'),
    (2, 'minors', 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'),
    (3, 'csam', 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'),
    (4, 'hate', 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH'),
    (5, 'violence', 'STATEMENT_CATEGORY_VIOLENCE'),
    (6, 'terrorism', 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY'),
    (7, 'sexual', 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC'),
    (8, 'bullying', 'STATEMENT_CATEGORY_CYBER_VIOLENCE'),
    (9, 'self_harm', 'STATEMENT_CATEGORY_SELF_HARM'),
    (10, 'fraud', 'STATEMENT_CATEGORY_SCAMS_AND_FRAUD'),
    (11, 'disinfo', 'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS'),
    (12, 'privacy', 'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS'),
    (13, 'commercial', 'STATEMENT_CATEGORY_CONSUMER_INFORMATION'),
    (14, 'other', 'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE');

CREATE TABLE decision (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    assessed INTEGER NOT NULL              -- 1 unless the decision is pending
);
INSERT INTO decision(id, code, assessed) VALUES
    (1, 'forwarded', 1), (2, 'no_violation', 1), (3, 'out_of_remit', 1),
    (4, 'insufficient_info', 1), (5, 'duplicate', 1), (6, 'pending', 0);

CREATE TABLE outcome (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    actioned INTEGER NOT NULL,             -- DESIGN §4 "actioned"
    final    INTEGER NOT NULL              -- 0 only for pending
);
INSERT INTO outcome(id, code, actioned, final) VALUES
    (1, 'removed', 1, 1), (2, 'geo_blocked', 1, 1), (3, 'age_restricted', 1, 1),
    (4, 'account_suspended', 1, 1), (5, 'account_banned', 1, 1),
    (6, 'declined', 0, 1), (7, 'already_unavailable', 0, 1), (8, 'pending', 0, 0);

CREATE TABLE channel (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE
);
INSERT INTO channel(id, code) VALUES
    (1, 'web_form'), (2, 'email'), (3, 'phone'), (4, 'ex_officio'), (5, 'other');

-- One row per ingest of one file.  Written in the same transaction as the
-- cases it brought, so an interrupted ingest leaves no trace at all.
CREATE TABLE ingest_run (
    id          INTEGER PRIMARY KEY,
    file_path   TEXT NOT NULL,             -- as given on the command line
    file_name   TEXT NOT NULL,
    file_size   INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    profile     TEXT NOT NULL,             -- profile file name
    country     TEXT NOT NULL REFERENCES country(code),
    started_at  TEXT NOT NULL,             -- ISO 8601 UTC
    finished_at TEXT,
    rows_read   INTEGER NOT NULL DEFAULT 0,
    blank_lines INTEGER NOT NULL DEFAULT 0,
    rows_new    INTEGER NOT NULL DEFAULT 0,
    rows_updated INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_duplicate INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ingest_run_sha ON ingest_run(sha256);

CREATE TABLE reject (
    run_id  INTEGER NOT NULL REFERENCES ingest_run(id) ON DELETE CASCADE,
    line    INTEGER NOT NULL,              -- physical line where the row starts
    reason  TEXT NOT NULL,                 -- reason code, see pipeline/ingest.h
    field   TEXT,                          -- canonical field at fault, if any
    message TEXT NOT NULL,
    raw     TEXT NOT NULL,                 -- the row, re-joined, as UTF-8
    PRIMARY KEY (run_id, line)
) WITHOUT ROWID;

CREATE TABLE case_record (
    country         TEXT NOT NULL REFERENCES country(code),
    case_id         TEXT NOT NULL,
    platform        TEXT NOT NULL,
    item_kind       TEXT NOT NULL CHECK (item_kind IN ('content', 'account')),
    content_url     TEXT,                  -- never leaves the warehouse
    content_key     TEXT,
    category_id     INTEGER NOT NULL REFERENCES category(id),
    national_label  TEXT,
    legal_basis     TEXT,
    received_ts     INTEGER NOT NULL,
    received_day    INTEGER NOT NULL,
    received_prec   INTEGER NOT NULL,
    decided_ts      INTEGER, decided_day INTEGER, decided_prec INTEGER,
    forwarded_ts    INTEGER, forwarded_day INTEGER, forwarded_prec INTEGER,
    outcome_ts      INTEGER, outcome_day INTEGER, outcome_prec INTEGER,
    decision_id     INTEGER NOT NULL REFERENCES decision(id),
    outcome_id      INTEGER REFERENCES outcome(id),   -- only when forwarded
    channel_id      INTEGER REFERENCES channel(id),
    -- personal data: kept for the regulator, never published
    reporter_name   TEXT,
    reporter_email  TEXT,
    reporter_phone  TEXT,
    account_handle  TEXT,
    notes           TEXT,
    -- provenance
    first_run       INTEGER NOT NULL REFERENCES ingest_run(id),
    first_line      INTEGER NOT NULL,
    last_run        INTEGER NOT NULL REFERENCES ingest_run(id),  -- last change
    last_line       INTEGER NOT NULL,
    seen_run        INTEGER NOT NULL,      -- last file that held the case
    row_hash        INTEGER NOT NULL,      -- 64-bit digest of the canonical fields
    PRIMARY KEY (country, case_id),
    CHECK (outcome_id IS NULL OR decision_id = 1)
) WITHOUT ROWID;
CREATE INDEX case_content_key ON case_record(content_key) WHERE content_key IS NOT NULL;

-- Every later run that changed a case: the provenance trail.  Where a case
-- first came from is on the case itself (first_run, first_line).
CREATE TABLE case_history (
    country  TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    run_id   INTEGER NOT NULL REFERENCES ingest_run(id) ON DELETE CASCADE,
    line     INTEGER NOT NULL,
    change   TEXT NOT NULL CHECK (change IN ('new', 'updated')),
    PRIMARY KEY (country, case_id, run_id)
) WITHOUT ROWID;

CREATE VIEW case_view AS
SELECT c.country, c.case_id, c.platform, c.item_kind, c.content_key,
       cat.code AS category, c.national_label, c.legal_basis,
       CASE c.received_prec WHEN 1 THEN printf('%04d-%02d-%02d', c.received_day / 10000, c.received_day / 100 % 100, c.received_day % 100)
            ELSE strftime('%Y-%m-%dT%H:%M:%SZ', c.received_ts, 'unixepoch') END AS received_at,
       CASE c.decided_prec WHEN 1 THEN printf('%04d-%02d-%02d', c.decided_day / 10000, c.decided_day / 100 % 100, c.decided_day % 100)
            WHEN 2 THEN strftime('%Y-%m-%dT%H:%M:%SZ', c.decided_ts, 'unixepoch') END AS decided_at,
       CASE c.forwarded_prec WHEN 1 THEN printf('%04d-%02d-%02d', c.forwarded_day / 10000, c.forwarded_day / 100 % 100, c.forwarded_day % 100)
            WHEN 2 THEN strftime('%Y-%m-%dT%H:%M:%SZ', c.forwarded_ts, 'unixepoch') END AS forwarded_at,
       CASE c.outcome_prec WHEN 1 THEN printf('%04d-%02d-%02d', c.outcome_day / 10000, c.outcome_day / 100 % 100, c.outcome_day % 100)
            WHEN 2 THEN strftime('%Y-%m-%dT%H:%M:%SZ', c.outcome_ts, 'unixepoch') END AS outcome_at,
       d.code AS decision, o.code AS outcome, ch.code AS channel,
       c.first_run, c.first_line, c.last_run, c.last_line
FROM case_record c
JOIN category cat ON cat.id = c.category_id
JOIN decision d ON d.id = c.decision_id
LEFT JOIN outcome o ON o.id = c.outcome_id
LEFT JOIN channel ch ON ch.id = c.channel_id;
