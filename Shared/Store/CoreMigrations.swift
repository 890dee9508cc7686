/// The tables every service shares: the event bus's outbox, topic heads, and consumers'
/// inbox and positions (ARCHITECTURE.md, "The event bus").
public enum CoreMigrations {
    public static let all: [Migration] = [
        Migration(
            component: "core", version: 1, name: "outbox, topic heads, inbox",
            statements: [
                // A stuck writer must not hold rows (or the relay's view) back forever.
                """
                DO $$ BEGIN
                  EXECUTE format('ALTER DATABASE %I SET idle_in_transaction_session_timeout = %L', current_database(), '60s');
                EXCEPTION WHEN insufficient_privilege THEN
                  RAISE NOTICE 'not the database owner: set idle_in_transaction_session_timeout in the deployment instead';
                END $$
                """,
                """
                CREATE TABLE outbox (
                    position bigserial PRIMARY KEY,
                    id uuid NOT NULL UNIQUE,
                    stream text NOT NULL,
                    topic text NOT NULL,
                    seq bigint,
                    version integer NOT NULL DEFAULT 1,
                    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    key text NOT NULL,
                    area text,
                    correlation_id uuid,
                    data jsonb NOT NULL,
                    sequenced_at timestamptz
                )
                """,
                "CREATE INDEX outbox_unsequenced ON outbox (stream, position) WHERE seq IS NULL",
                "CREATE UNIQUE INDEX outbox_topic_seq ON outbox (topic, seq) WHERE seq IS NOT NULL",
                """
                CREATE TABLE topic_heads (
                    topic text PRIMARY KEY,
                    stream text NOT NULL,
                    head bigint NOT NULL
                )
                """,
                "CREATE INDEX topic_heads_stream ON topic_heads (stream)",
                // One notification per writing statement, naming the stream, wakes its relay.
                """
                CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_notify('outbox', s.stream) FROM (SELECT DISTINCT stream FROM inserted) s;
                  RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
                REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()
                """,
                """
                CREATE TABLE inbox (
                    consumer text NOT NULL,
                    event_id uuid NOT NULL,
                    topic text NOT NULL,
                    seq bigint NOT NULL,
                    processed_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, event_id)
                )
                """,
                """
                CREATE TABLE consumer_positions (
                    consumer text NOT NULL,
                    topic text NOT NULL,
                    seq bigint NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, topic)
                )
                """,
            ]
        ),
        Migration(
            component: "core", version: 2, name: "idempotency keys",
            statements: [
                """
                CREATE TABLE idempotency_keys (
                    service text NOT NULL,
                    key text NOT NULL,
                    request_hash text NOT NULL,
                    status integer,
                    body bytea,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (service, key)
                )
                """,
                "CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)",
            ]
        ),
        Migration(
            component: "core", version: 3, name: "bus keys",
            statements: [
                // The bus's allow-list: public keys only; secrets stay with their holders.
                """
                CREATE TABLE bus_keys (
                    name text PRIMARY KEY,
                    public_key text NOT NULL UNIQUE,
                    role text NOT NULL CHECK (role IN ('publisher', 'service', 'integrator')),
                    stream text,
                    prefixes text[] NOT NULL DEFAULT '{}',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    revoked_at timestamptz,
                    CHECK ((role = 'integrator') = (stream IS NULL))
                )
                """
            ]
        ),
        Migration(
            component: "core", version: 4, name: "service replicas",
            statements: [
                // Every running replica says where it answers, so `shouwang status` can list
                // them all, whatever put them there (up.sh, compose --scale, an autoscaler).
                """
                CREATE TABLE service_replicas (
                    service text NOT NULL,
                    instance text NOT NULL,
                    http_url text NOT NULL,
                    started_at timestamptz NOT NULL,
                    seen_at timestamptz NOT NULL,
                    stopped_at timestamptz,
                    PRIMARY KEY (service, instance)
                )
                """
            ]
        ),
        Migration(
            component: "core", version: 5, name: "token revocations",
            statements: [
                // A holder's tokens issued at or before `revoked_before` are refused by every
                // service (TokenRevocations reloads this table every few seconds).
                """
                CREATE TABLE token_revocations (
                    role text NOT NULL,
                    subject text NOT NULL,
                    revoked_before timestamptz NOT NULL,
                    revoked_by text NOT NULL,
                    reason text NOT NULL,
                    PRIMARY KEY (role, subject)
                )
                """
            ]
        ),
    ]
}
