import Store

/// Outreach's own tables. Outreach is their only writer; intake reads a need and its
/// resident's contact when it turns the need into a request. Area codes refer to intake's
/// geography by value (no foreign key across components, so each service migrates alone).
enum OutreachMigrations {
    static let all: [Migration] = [
        Migration(
            component: "outreach", version: 1, name: "registry of vulnerable residents, needs, record reads",
            statements: [
                """
                CREATE TABLE outreach_residents (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    name text NOT NULL,
                    id_number text,
                    birth_year integer NOT NULL,
                    compound text NOT NULL,
                    address text NOT NULL,
                    categories text[] NOT NULL,
                    care_level text NOT NULL CHECK (care_level IN ('high', 'medium', 'low')),
                    consent boolean NOT NULL,
                    contact_name text NOT NULL,
                    contact_phone text NOT NULL,
                    carer_name text,
                    notes text,
                    status text NOT NULL DEFAULT 'active',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX outreach_residents_scope ON outreach_residents (compound text_pattern_ops, seq)",
                "CREATE INDEX outreach_residents_categories ON outreach_residents USING gin (categories)",
                """
                CREATE TABLE outreach_record_reads (
                    seq bigserial PRIMARY KEY,
                    resident_id uuid NOT NULL REFERENCES outreach_residents (id),
                    reader text NOT NULL,
                    role text NOT NULL,
                    reason text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX outreach_record_reads_resident ON outreach_record_reads (resident_id, at)",
                """
                CREATE TABLE outreach_needs (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    resident_id uuid NOT NULL REFERENCES outreach_residents (id),
                    category text NOT NULL,
                    urgency text NOT NULL,
                    zone text NOT NULL,
                    details jsonb NOT NULL DEFAULT '{}',
                    source text NOT NULL,
                    found_by text NOT NULL,
                    request_id uuid,
                    status text NOT NULL DEFAULT 'identified',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX outreach_needs_resident ON outreach_needs (resident_id, created_at)",
            ]
        ),
        Migration(
            component: "outreach", version: 2, name: "campaigns, follow-ups, visits, escalations, hotlines, notices",
            statements: [
                """
                CREATE TABLE outreach_campaigns (
                    id uuid PRIMARY KEY,
                    title text NOT NULL,
                    area text NOT NULL,
                    categories text[] NOT NULL DEFAULT '{}',
                    minimum_age integer,
                    created_by text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE outreach_contacts (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    campaign_id uuid NOT NULL REFERENCES outreach_campaigns (id),
                    resident_id uuid NOT NULL REFERENCES outreach_residents (id),
                    caller text NOT NULL,
                    status text NOT NULL DEFAULT 'pending',
                    attempts integer NOT NULL DEFAULT 0,
                    next_attempt_at timestamptz NOT NULL DEFAULT now(),
                    claimed_by text,
                    claimed_until timestamptz,
                    outcome text,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (campaign_id, resident_id)
                )
                """,
                "CREATE INDEX outreach_contacts_queue ON outreach_contacts (campaign_id, caller, status, next_attempt_at)",
                """
                CREATE TABLE outreach_calls (
                    seq bigserial PRIMARY KEY,
                    contact_id uuid REFERENCES outreach_contacts (id),
                    resident_id uuid NOT NULL REFERENCES outreach_residents (id),
                    caller text NOT NULL,
                    kind text NOT NULL,
                    outcome text NOT NULL,
                    note text,
                    area text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX outreach_calls_area_day ON outreach_calls (area text_pattern_ops, at)",
                """
                CREATE TABLE outreach_followups (
                    resident_id uuid PRIMARY KEY REFERENCES outreach_residents (id),
                    next_due_at timestamptz NOT NULL,
                    last_done_at timestamptz,
                    pending_need_id uuid,
                    overdue_announced_for timestamptz
                )
                """,
                "CREATE INDEX outreach_followups_due ON outreach_followups (next_due_at)",
                """
                CREATE TABLE outreach_visits (
                    id uuid PRIMARY KEY,
                    resident_id uuid NOT NULL REFERENCES outreach_residents (id),
                    visitor text NOT NULL,
                    assessment jsonb NOT NULL,
                    notes text,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE outreach_escalations (
                    id uuid PRIMARY KEY,
                    resident_id uuid NOT NULL REFERENCES outreach_residents (id),
                    escalated_to text NOT NULL,
                    reason text NOT NULL,
                    case_history jsonb NOT NULL,
                    escalated_by text NOT NULL,
                    area text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE outreach_hotline_calls (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    line text NOT NULL,
                    topic text NOT NULL,
                    duration_seconds integer NOT NULL,
                    referral text,
                    anonymous boolean NOT NULL,
                    resident_id uuid REFERENCES outreach_residents (id),
                    area text NOT NULL,
                    taken_by text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE outreach_notices (
                    id uuid PRIMARY KEY,
                    title text NOT NULL,
                    area text NOT NULL,
                    audience text NOT NULL,
                    category text,
                    variants jsonb NOT NULL,
                    created_by text NOT NULL,
                    published_at timestamptz,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE outreach_notice_reads (
                    notice_id uuid NOT NULL REFERENCES outreach_notices (id),
                    reader text NOT NULL,
                    language text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (notice_id, reader)
                )
                """,
            ]
        ),
        Migration(
            component: "outreach", version: 3, name: "caller activity, several pending needs per follow-up, follow-ups for every resident",
            statements: [
                """
                CREATE TABLE outreach_campaign_callers (
                    campaign_id uuid NOT NULL REFERENCES outreach_campaigns (id),
                    caller text NOT NULL,
                    last_seen_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (campaign_id, caller)
                )
                """,
                "ALTER TABLE outreach_followups ADD COLUMN pending_need_ids uuid[] NOT NULL DEFAULT '{}'",
                "UPDATE outreach_followups SET pending_need_ids = ARRAY[pending_need_id] WHERE pending_need_id IS NOT NULL",
                "ALTER TABLE outreach_followups DROP COLUMN pending_need_id",
                """
                INSERT INTO outreach_followups (resident_id, next_due_at)
                SELECT id, now() FROM outreach_residents WHERE status = 'active' ON CONFLICT (resident_id) DO NOTHING
                """,
            ]
        ),
        Migration(
            component: "outreach", version: 4, name: "closing residents, notice language tags, the street's daily ledger",
            statements: [
                "ALTER TABLE outreach_residents ADD COLUMN closed_at timestamptz, ADD COLUMN closed_reason text, ADD COLUMN closed_note text",
                // The fixed language names become BCP 47 tags (LanguageTag.formerNames keeps reading the old names).
                """
                CREATE FUNCTION pg_temp.outreach_tag(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                    SELECT CASE name WHEN 'mandarin' THEN 'zh' WHEN 'suzhounese' THEN 'wuu-x-suzhou' WHEN 'shanghainese' THEN 'wuu-x-shanghai'
                                     WHEN 'cantonese' THEN 'yue' WHEN 'english' THEN 'en' ELSE name END
                $$
                """,
                """
                UPDATE outreach_notices
                SET variants = (SELECT coalesce(jsonb_object_agg(pg_temp.outreach_tag(key), value), '{}') FROM jsonb_each(variants))
                """,
                "UPDATE outreach_notice_reads SET language = pg_temp.outreach_tag(language)",
                // One row per counted event and measure: appended by LedgerConsumer, never updated, so
                // consumers of several topics never wait on one another's rows.
                """
                CREATE TABLE outreach_ledger_entries (
                    event_id uuid NOT NULL,
                    measure text NOT NULL,
                    community text NOT NULL,
                    day date NOT NULL,
                    amount double precision NOT NULL,
                    PRIMARY KEY (event_id, measure)
                )
                """,
                "CREATE INDEX outreach_ledger_entries_area_day ON outreach_ledger_entries (community text_pattern_ops, day)",
            ]
        ),
        Migration(
            component: "outreach", version: 5, name: "residents found by ID number (bulk import)",
            statements: [
                // A re-uploaded registry finds the residents already registered by ID number, thousands at a time.
                "CREATE INDEX outreach_residents_id_number ON outreach_residents (id_number) WHERE id_number IS NOT NULL"
            ]
        ),
    ]
}
