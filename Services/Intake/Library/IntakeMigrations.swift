import Store

/// Intake's own tables. Intake is their only writer; other services read them or react to
/// intake's events.
enum IntakeMigrations {
    static let all: [Migration] = [
        Migration(
            component: "intake", version: 1, name: "geography, organizations, volunteers, requests, testing",
            statements: [
                """
                CREATE TABLE areas (
                    code text PRIMARY KEY,
                    parent text REFERENCES areas (code),
                    level text NOT NULL CHECK (level IN ('district', 'street', 'community', 'compound')),
                    name text NOT NULL,
                    population integer
                )
                """,
                "CREATE INDEX areas_parent ON areas (parent)",
                """
                CREATE TABLE organizations (
                    id uuid PRIMARY KEY,
                    kind text NOT NULL,
                    name text NOT NULL,
                    area text NOT NULL REFERENCES areas (code),
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE teams (
                    id uuid PRIMARY KEY,
                    organization_id uuid REFERENCES organizations (id),
                    name text NOT NULL,
                    area text NOT NULL REFERENCES areas (code),
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE recruitment_calls (
                    id uuid PRIMARY KEY,
                    organization_id uuid NOT NULL REFERENCES organizations (id),
                    area text NOT NULL REFERENCES areas (code),
                    title text NOT NULL,
                    roles text[] NOT NULL,
                    headcount integer NOT NULL,
                    deadline timestamptz NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE volunteers (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    name text NOT NULL,
                    mobile text NOT NULL,
                    id_number text NOT NULL UNIQUE,
                    birth_year integer NOT NULL,
                    community text NOT NULL REFERENCES areas (code),
                    team_id uuid REFERENCES teams (id),
                    call_id uuid REFERENCES recruitment_calls (id),
                    skills text[] NOT NULL DEFAULT '{}',
                    availability jsonb NOT NULL DEFAULT '[]',
                    health jsonb NOT NULL,
                    status text NOT NULL DEFAULT 'pending',
                    trained boolean NOT NULL DEFAULT false,
                    insured boolean NOT NULL DEFAULT false,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX volunteers_scope ON volunteers (community text_pattern_ops, seq)",
                "CREATE INDEX volunteers_call ON volunteers (call_id)",
                """
                CREATE TABLE volunteer_history (
                    volunteer_id uuid NOT NULL REFERENCES volunteers (id),
                    at timestamptz NOT NULL DEFAULT now(),
                    action text NOT NULL,
                    status text NOT NULL,
                    reason text,
                    actor text NOT NULL
                )
                """,
                "CREATE INDEX volunteer_history_volunteer ON volunteer_history (volunteer_id, at)",
                """
                CREATE TABLE requests (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    category text NOT NULL,
                    details jsonb NOT NULL DEFAULT '{}',
                    urgency text NOT NULL,
                    compound text NOT NULL REFERENCES areas (code),
                    address text NOT NULL,
                    zone text NOT NULL,
                    contact_name text NOT NULL,
                    contact_phone text NOT NULL,
                    filed_by text NOT NULL,
                    household_key text NOT NULL,
                    status text NOT NULL DEFAULT 'open',
                    probable_duplicate_of uuid REFERENCES requests (id),
                    merged_into uuid REFERENCES requests (id),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX requests_scope ON requests (compound text_pattern_ops, seq)",
                "CREATE INDEX requests_household ON requests (household_key, category, created_at)",
                """
                CREATE TABLE request_history (
                    request_id uuid NOT NULL REFERENCES requests (id),
                    at timestamptz NOT NULL DEFAULT now(),
                    status text NOT NULL,
                    cause text NOT NULL,
                    actor text NOT NULL
                )
                """,
                "CREATE INDEX request_history_request ON request_history (request_id, at)",
                """
                CREATE TABLE testing_rounds (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    area text NOT NULL REFERENCES areas (code),
                    starts_at timestamptz NOT NULL,
                    ends_at timestamptz NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE testing_sites (
                    id uuid PRIMARY KEY,
                    round_id uuid NOT NULL REFERENCES testing_rounds (id),
                    area text NOT NULL REFERENCES areas (code),
                    name text NOT NULL,
                    opens_at text NOT NULL,
                    closes_at text NOT NULL,
                    expected_population integer NOT NULL
                )
                """,
                "CREATE INDEX testing_sites_round ON testing_sites (round_id)",
                """
                CREATE TABLE checkins (
                    seq bigserial PRIMARY KEY,
                    round_id uuid NOT NULL REFERENCES testing_rounds (id),
                    site_id uuid NOT NULL REFERENCES testing_sites (id),
                    resident_code text NOT NULL,
                    tube_barcode text NOT NULL,
                    sample_group text,
                    scanned_at timestamptz NOT NULL,
                    operator text NOT NULL,
                    retest boolean NOT NULL DEFAULT false,
                    recorded_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE UNIQUE INDEX checkins_tube ON checkins (tube_barcode)",
                "CREATE UNIQUE INDEX checkins_once_per_round ON checkins (round_id, resident_code) WHERE NOT retest",
                "CREATE INDEX checkins_site ON checkins (site_id)",
            ]
        ),
        Migration(
            component: "intake", version: 2, name: "team leaders",
            statements: [
                "ALTER TABLE teams ADD COLUMN leader_id uuid REFERENCES volunteers (id)",
                "CREATE INDEX volunteers_team ON volunteers (team_id) WHERE team_id IS NOT NULL",
            ]
        ),
        Migration(
            component: "intake", version: 3, name: "requests filed from outreach's needs",
            statements: [
                "ALTER TABLE requests ADD COLUMN outreach_need_id uuid",
                "CREATE UNIQUE INDEX requests_outreach_need ON requests (outreach_need_id) WHERE outreach_need_id IS NOT NULL",
            ]
        ),
        Migration(
            component: "intake", version: 4, name: "health declarations kept as a history",
            statements: [
                """
                CREATE TABLE volunteer_declarations (
                    volunteer_id uuid NOT NULL REFERENCES volunteers (id),
                    declared_at timestamptz NOT NULL DEFAULT now(),
                    health jsonb NOT NULL,
                    actor text NOT NULL
                )
                """,
                "CREATE INDEX volunteer_declarations_volunteer ON volunteer_declarations (volunteer_id, declared_at)",
                // The declaration each volunteer made at sign-up is the first of their history.
                "INSERT INTO volunteer_declarations (volunteer_id, declared_at, health, actor) SELECT id, created_at, health, 'sign-up' FROM volunteers",
            ]
        ),
        Migration(
            component: "intake", version: 5, name: "pooled sampling, tube results, recruitment calls edited and closed",
            statements: [
                // How many residents' swabs share one tube in a round: 1 (单采), 10 (十混一) or 20 (二十混一).
                "ALTER TABLE testing_rounds ADD COLUMN pool_size integer NOT NULL DEFAULT 1 CHECK (pool_size IN (1, 10, 20))",
                // A tube: the round, site and sample group of its first check-in, its lab result, and the
                // row check-ins lock so two batches cannot overfill it together. No foreign keys: the
                // tube is written on the check-in surge's hot path, beside check-ins that have them.
                """
                CREATE TABLE testing_tubes (
                    tube_barcode text PRIMARY KEY,
                    round_id uuid NOT NULL,
                    site_id uuid NOT NULL,
                    sample_group text,
                    result text CHECK (result IN ('negative', 'positive')),
                    result_at timestamptz,
                    result_by text,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                INSERT INTO testing_tubes (tube_barcode, round_id, site_id, sample_group)
                SELECT DISTINCT ON (tube_barcode) tube_barcode, round_id, site_id, sample_group FROM checkins ORDER BY tube_barcode, seq
                """,
                // A tube holds several residents now, each once.
                "DROP INDEX checkins_tube",
                "CREATE UNIQUE INDEX checkins_tube_resident ON checkins (tube_barcode, resident_code)",
                "ALTER TABLE recruitment_calls ADD COLUMN enforce_headcount boolean NOT NULL DEFAULT false",
                "ALTER TABLE recruitment_calls ADD COLUMN closed_at timestamptz",
                "ALTER TABLE recruitment_calls ADD COLUMN updated_at timestamptz",
            ]
        ),
        Migration(
            component: "intake", version: 7, name: "volunteers' tokens, who holds each task, and reads of its details",
            statements: [
                // Tokens issued to and revoked from volunteers; the tokens themselves are never stored.
                """
                CREATE TABLE volunteer_token_log (
                    seq bigserial PRIMARY KEY,
                    volunteer_id uuid NOT NULL REFERENCES volunteers (id),
                    action text NOT NULL CHECK (action IN ('issued', 'revoked')),
                    actor text NOT NULL,
                    reason text,
                    expires_at timestamptz,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX volunteer_token_log_volunteer ON volunteer_token_log (volunteer_id, seq)",
                // The few volunteers off duty. Once swept for tokens to revoke; unused since the revocation
                // is written with the status change (VolunteerStore.save), kept: migrations only append.
                "CREATE INDEX volunteers_off_duty ON volunteers (updated_at) WHERE status IN ('suspended', 'withdrawn', 'rejected')",
                // The volunteer matching last reported holding the request's task, and when it said so.
                """
                CREATE TABLE request_holders (
                    request_id uuid PRIMARY KEY REFERENCES requests (id),
                    volunteer_id uuid,
                    changed_at timestamptz NOT NULL
                )
                """,
                // Every read of a task's details by the volunteer holding it.
                """
                CREATE TABLE request_task_reads (
                    seq bigserial PRIMARY KEY,
                    request_id uuid NOT NULL REFERENCES requests (id),
                    reader text NOT NULL,
                    role text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX request_task_reads_request ON request_task_reads (request_id, seq)",
            ]
        ),
    ]
}
