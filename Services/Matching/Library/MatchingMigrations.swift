import Store

/// Matching's own tables. Matching is their only writer; it reads intake's volunteers to
/// know who is eligible.
enum MatchingMigrations {
    static let all: [Migration] = [
        Migration(
            component: "matching", version: 1, name: "posts, shifts, roster plans and assignments",
            statements: [
                """
                CREATE TABLE posts (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    area text NOT NULL,
                    role text NOT NULL,
                    required_skills text[] NOT NULL DEFAULT '{}',
                    any_district boolean NOT NULL DEFAULT false,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX posts_area ON posts (area text_pattern_ops)",
                """
                CREATE TABLE shifts (
                    id uuid PRIMARY KEY,
                    post_id uuid NOT NULL REFERENCES posts (id),
                    starts_at timestamptz NOT NULL,
                    ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
                    slots integer NOT NULL CHECK (slots > 0 AND slots <= 1000),
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX shifts_time ON shifts (starts_at)",
                """
                CREATE TABLE roster_plans (
                    id uuid PRIMARY KEY,
                    area text NOT NULL,
                    window_from timestamptz NOT NULL,
                    window_to timestamptz NOT NULL,
                    objective integer NOT NULL,
                    lower_bound integer NOT NULL,
                    filled integer NOT NULL,
                    total integer NOT NULL,
                    planned_by text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE roster_assignments (
                    id uuid PRIMARY KEY,
                    shift_id uuid NOT NULL REFERENCES shifts (id),
                    volunteer_id uuid NOT NULL,
                    plan_id uuid REFERENCES roster_plans (id),
                    cost integer NOT NULL,
                    status text NOT NULL DEFAULT 'planned',
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE UNIQUE INDEX roster_assignments_once ON roster_assignments (shift_id, volunteer_id) WHERE status <> 'cancelled'",
                "CREATE INDEX roster_assignments_volunteer ON roster_assignments (volunteer_id)",
            ]
        ),
        Migration(
            component: "matching", version: 2, name: "dispatch of residents' requests",
            statements: [
                """
                CREATE TABLE dispatches (
                    request_id uuid PRIMARY KEY,
                    compound text NOT NULL,
                    category text NOT NULL,
                    urgency text NOT NULL,
                    status text NOT NULL,
                    candidates uuid[] NOT NULL,
                    next_candidate integer NOT NULL DEFAULT 0,
                    holder uuid,
                    offer_expires_at timestamptz,
                    deadline_at timestamptz NOT NULL,
                    hours double precision,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    moved_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX dispatches_lapsing ON dispatches (offer_expires_at) WHERE status = 'offering'",
                "CREATE INDEX dispatches_board ON dispatches (compound text_pattern_ops, created_at) WHERE status IN ('offering', 'assigned', 'unassigned')",
                """
                CREATE TABLE dispatch_history (
                    seq bigserial PRIMARY KEY,
                    request_id uuid NOT NULL REFERENCES dispatches (request_id),
                    event text NOT NULL,
                    volunteer_id uuid,
                    note text,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
            ]
        ),
        Migration(
            component: "matching", version: 3, name: "confirmations, check-in and out, the service-hours ledger",
            statements: [
                "ALTER TABLE roster_assignments ADD COLUMN confirmed_at timestamptz, ADD COLUMN checked_in_at timestamptz, ADD COLUMN checked_out_at timestamptz",
                """
                CREATE TABLE service_hours (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    volunteer_id uuid NOT NULL,
                    team_id uuid,
                    source text NOT NULL,
                    source_id uuid NOT NULL,
                    hours double precision NOT NULL,
                    corrects uuid REFERENCES service_hours (id),
                    reason text,
                    actor text NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX service_hours_volunteer ON service_hours (volunteer_id, seq)",
                "CREATE INDEX service_hours_team ON service_hours (team_id) WHERE team_id IS NOT NULL",
                "CREATE UNIQUE INDEX service_hours_once ON service_hours (source, source_id) WHERE corrects IS NULL",
            ]
        ),
        Migration(
            component: "matching", version: 4, name: "what a volunteer holds, found when they go off duty",
            statements: [
                "CREATE INDEX dispatches_holder ON dispatches (holder) WHERE status IN ('offering', 'assigned')"
            ]
        ),
    ]
}
