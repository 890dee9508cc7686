import Store

/// The console's own tables: staff accounts and their sessions. The console writes no other
/// table and reads none: everything else it shows comes from the services' HTTP APIs.
enum ConsoleMigrations {
    static let all: [Migration] = [
        Migration(
            component: "console", version: 1, name: "staff accounts and sessions",
            statements: [
                """
                CREATE TABLE console_accounts (
                    id uuid PRIMARY KEY,
                    username text NOT NULL UNIQUE,
                    role text NOT NULL,
                    area text,
                    password_hash text NOT NULL,
                    disabled_at timestamptz,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE console_sessions (
                    token_hash bytea PRIMARY KEY,
                    account_id uuid NOT NULL REFERENCES console_accounts (id),
                    csrf text NOT NULL,
                    expires_at timestamptz NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)",
            ]
        )
    ]
}
