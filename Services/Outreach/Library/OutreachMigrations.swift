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
        )
    ]
}
