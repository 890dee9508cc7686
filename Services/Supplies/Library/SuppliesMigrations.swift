import Store

/// Supplies' own tables. Supplies is their only writer. Stock is an append-only ledger of
/// movements; `stock_balances` holds each lot's running totals, changed in the same
/// transaction as the movement, and its CHECKs make a negative or over-promised balance
/// impossible whatever the concurrency.
enum SuppliesMigrations {
    static let all: [Migration] = [
        Migration(
            component: "supplies", version: 1, name: "catalogue, depots, donations, stock ledger, reservations, purchases, delivery",
            statements: [
                """
                CREATE TABLE supply_items (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    unit text NOT NULL,
                    category text NOT NULL,
                    drug_name text,
                    strength text,
                    form text,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE depots (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    kind text NOT NULL,
                    area text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX depots_area ON depots (area text_pattern_ops)",
                """
                CREATE TABLE donors (
                    id uuid PRIMARY KEY,
                    kind text NOT NULL,
                    name text NOT NULL,
                    contact_phone text,
                    area text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE donation_drives (
                    id uuid PRIMARY KEY,
                    title text NOT NULL,
                    area text NOT NULL,
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    target integer NOT NULL CHECK (target > 0),
                    deadline timestamptz NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE donation_pledges (
                    id uuid PRIMARY KEY,
                    donor_id uuid NOT NULL REFERENCES donors (id),
                    drive_id uuid REFERENCES donation_drives (id),
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    quantity integer NOT NULL CHECK (quantity > 0),
                    received integer NOT NULL DEFAULT 0 CHECK (received >= 0),
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE receipts (
                    id uuid PRIMARY KEY,
                    number bigserial UNIQUE,
                    donor_id uuid REFERENCES donors (id),
                    pledge_id uuid REFERENCES donation_pledges (id),
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    received_by text NOT NULL,
                    received_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE lots (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    receipt_id uuid REFERENCES receipts (id),
                    source_lot uuid REFERENCES lots (id),
                    expires_at timestamptz,
                    quantity integer NOT NULL CHECK (quantity > 0),
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE stock_balances (
                    lot_id uuid PRIMARY KEY REFERENCES lots (id),
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    on_hand integer NOT NULL CHECK (on_hand >= 0),
                    reserved integer NOT NULL CHECK (reserved >= 0),
                    CHECK (reserved <= on_hand)
                )
                """,
                "CREATE INDEX stock_balances_depot_item ON stock_balances (depot_id, item_id)",
                """
                CREATE TABLE stock_movements (
                    seq bigserial PRIMARY KEY,
                    lot_id uuid NOT NULL REFERENCES lots (id),
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    kind text NOT NULL,
                    on_hand_change integer NOT NULL,
                    reserved_change integer NOT NULL,
                    reason text NOT NULL,
                    reservation_id uuid,
                    actor text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX stock_movements_depot_item ON stock_movements (depot_id, item_id, at)",
                """
                CREATE TABLE reservations (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    request_id uuid,
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    quantity integer NOT NULL CHECK (quantity > 0),
                    status text NOT NULL DEFAULT 'held',
                    actor text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX reservations_request ON reservations (request_id) WHERE request_id IS NOT NULL",
                """
                CREATE TABLE reservation_lines (
                    reservation_id uuid NOT NULL REFERENCES reservations (id),
                    lot_id uuid NOT NULL REFERENCES lots (id),
                    quantity integer NOT NULL CHECK (quantity > 0),
                    PRIMARY KEY (reservation_id, lot_id)
                )
                """,
                """
                CREATE TABLE stock_thresholds (
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    minimum integer NOT NULL CHECK (minimum >= 0),
                    horizon_days integer NOT NULL DEFAULT 3 CHECK (horizon_days > 0),
                    low_since timestamptz,
                    PRIMARY KEY (depot_id, item_id)
                )
                """,
                """
                CREATE TABLE purchase_tasks (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    request_id uuid,
                    area text NOT NULL,
                    description text NOT NULL,
                    status text NOT NULL DEFAULT 'open',
                    quoted_fen integer,
                    paid_fen integer,
                    history jsonb NOT NULL DEFAULT '[]',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE delivery_runs (
                    id uuid PRIMARY KEY,
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    volunteer_id uuid NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE delivery_stops (
                    id uuid PRIMARY KEY,
                    run_id uuid NOT NULL REFERENCES delivery_runs (id),
                    reservation_id uuid NOT NULL UNIQUE REFERENCES reservations (id),
                    status text NOT NULL DEFAULT 'pending',
                    proof text,
                    failure text,
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE lot_expiry_notices (
                    lot_id uuid PRIMARY KEY REFERENCES lots (id),
                    announced_at timestamptz NOT NULL DEFAULT now()
                )
                """,
            ]
        ),
        Migration(
            component: "supplies", version: 2, name: "work orders that ended",
            statements: [
                """
                CREATE TABLE supplies_ended_requests (
                    request_id uuid PRIMARY KEY,
                    how text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """
            ]
        ),
        Migration(
            component: "supplies", version: 3,
            name: "compound status from the street, allocation plans kept, who paid an errand, stop order, address reads",
            statements: [
                // A compound's control status and household count as the street reports them;
                // the allocation reads households from here, not from open requests.
                """
                CREATE TABLE supplies_compounds (
                    code text PRIMARY KEY,
                    status text NOT NULL,
                    households integer NOT NULL CHECK (households >= 0),
                    population integer CHECK (population >= 0),
                    set_by text NOT NULL,
                    set_role text NOT NULL,
                    set_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX supplies_compounds_area ON supplies_compounds (code text_pattern_ops)",
                """
                CREATE TABLE supplies_compound_history (
                    seq bigserial PRIMARY KEY,
                    code text NOT NULL,
                    status text NOT NULL,
                    households integer NOT NULL,
                    population integer,
                    set_by text NOT NULL,
                    set_role text NOT NULL,
                    set_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX supplies_compound_history_code ON supplies_compound_history (code, seq)",
                """
                CREATE TABLE allocation_plans (
                    id uuid PRIMARY KEY,
                    seq bigserial UNIQUE,
                    area text NOT NULL,
                    depot_id uuid NOT NULL REFERENCES depots (id),
                    item_id uuid NOT NULL REFERENCES supply_items (id),
                    quantity integer NOT NULL CHECK (quantity > 0),
                    category text,
                    weights jsonb NOT NULL,
                    basis text NOT NULL,
                    status text NOT NULL DEFAULT 'proposed',
                    proposed_by text NOT NULL,
                    proposed_at timestamptz NOT NULL DEFAULT now(),
                    approved_by text,
                    approved_at timestamptz,
                    transferred_by text,
                    transferred_at timestamptz
                )
                """,
                """
                CREATE TABLE allocation_plan_shares (
                    plan_id uuid NOT NULL REFERENCES allocation_plans (id),
                    community text NOT NULL,
                    name text NOT NULL,
                    points integer NOT NULL,
                    quantity integer NOT NULL CHECK (quantity >= 0),
                    reasoning text NOT NULL,
                    depot_id uuid REFERENCES depots (id),
                    PRIMARY KEY (plan_id, community)
                )
                """,
                """
                ALTER TABLE purchase_tasks ADD COLUMN paid_by_kind text, ADD COLUMN paid_by_id uuid,
                    ADD COLUMN reimbursed_to_kind text, ADD COLUMN reimbursed_to_id uuid
                """,
                "CREATE INDEX purchase_tasks_request ON purchase_tasks (request_id) WHERE request_id IS NOT NULL",
                "CREATE INDEX purchase_tasks_area ON purchase_tasks (area text_pattern_ops, seq)",
                "ALTER TABLE delivery_runs ADD COLUMN seq bigserial UNIQUE",
                "CREATE INDEX delivery_runs_volunteer ON delivery_runs (volunteer_id, seq)",
                // The dispatcher's order of the stops; runs planned before it keep the reservations' order.
                "ALTER TABLE delivery_stops ADD COLUMN position integer",
                // Every read of a stop's address by the run's volunteer.
                """
                CREATE TABLE supplies_address_reads (
                    seq bigserial PRIMARY KEY,
                    run_id uuid NOT NULL REFERENCES delivery_runs (id),
                    stop_id uuid NOT NULL REFERENCES delivery_stops (id),
                    request_id uuid NOT NULL,
                    reader text NOT NULL,
                    role text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX supplies_address_reads_run ON supplies_address_reads (run_id, seq)",
            ]
        ),
    ]
}
