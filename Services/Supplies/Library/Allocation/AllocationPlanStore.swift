import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// The SQL of kept allocation plans: proposing one over a depot's lot, approving it, and
/// carrying it out — every community's share a transfer from the depot, all in the caller's
/// transaction, so the plan is carried out whole or not at all.
///
/// Concurrency: approving and carrying out lock the plan's row first, so two clicks apply one
/// after the other and the second is refused; the transfers go through ``StockStore``, which
/// locks the depot's lots in id order like every ledger change, so a plan carried out while a
/// reservation or another transfer draws on the same lots queues behind it and never
/// oversells.
struct AllocationPlanStore {
    let connection: PostgresConnection
    let logger: Logger

    struct Saved: Codable {
        struct Share: Codable {
            var community: String
            var name: String
            var points: Int
            var quantity: Int
            var reasoning: String
            /// Where the share goes; `nil` when it is nothing.
            var depotId: UUID?
            /// The share's depot is the plan's own: nothing moves for it.
            var stays: Bool
        }
        var id: UUID
        var area: String
        var depotId: UUID
        var itemId: UUID
        var quantity: Int
        var category: String?
        var weights: Allocation.Weights
        var basis: Allocation.Basis
        var status: AllocationProgress.Status
        var proposedBy: String
        var proposedAt: Date
        var approvedBy: String?
        var approvedAt: Date?
        var transferredBy: String?
        var transferredAt: Date?
        var shares: [Share]
    }

    /// A plan carried out: the plan, and each transfer it made.
    struct Carried: Codable {
        struct Moved: Codable {
            var community: String
            var toDepotId: UUID
            var quantity: Int
            var lots: [UUID]
        }
        var plan: Saved
        var transfers: [Moved]
    }

    /// Splits the depot's lot (the caller's area: 422 on `depotId`) across the communities of
    /// `ask.area` and keeps the plan, proposed. Each share with something in it needs its
    /// depot: the one named in `destinations`, the plan's own when it lies in the community,
    /// else the community's only depot (422 on `destinations` otherwise).
    func propose(_ ask: AllocationAsk, from source: AllocationAsk.Source, by access: AccessToken) async throws -> Saved {
        _ = try await DepotAccess(connection: connection, logger: logger).require(source.depot, access, field: "depotId")
        guard try await !connection.query("SELECT 1 FROM supply_items WHERE id = \(source.item)", logger: logger).collect().isEmpty
        else { throw InvalidFields("itemId", "no such item") }
        let available = try await available(source)
        let quantity = ask.quantity ?? available
        guard quantity > 0, quantity <= available else {
            throw Refusal(
                "Only \(available) of this item available at this depot; \(ask.quantity.map(String.init) ?? "nothing") to allocate.",
                title: "Not enough stock")
        }
        let needs = try await NeedQueries(connection: connection, logger: logger).needs(under: ask.area, category: ask.category)
        let plan = try AllocationPlan(ask, quantity: quantity, needs: needs)
        let depots = try await depots(under: ask.area, plus: source.depot)
        var problems: [InvalidFields.Field] = []
        var destinations: [String: UUID] = [:]
        for share in plan.shares where share.quantity > 0 {
            guard let community = AreaCode(share.community) else { continue }
            switch Self.destination(of: community, named: ask.destinations[community], source: source.depot, depots: depots) {
            case .success(let depot): destinations[share.community] = depot
            case .failure(let problem):
                problems.append(.init(field: "destinations", message: "\(share.community) (\(share.name)) \(problem)"))
            }
        }
        guard problems.isEmpty else { throw InvalidFields(problems) }
        let id = UUID()
        let weights = try String(decoding: JSONEncoder().encode(plan.weights), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO allocation_plans (id, area, depot_id, item_id, quantity, category, weights, basis, proposed_by)
            VALUES (\(id), \(plan.area), \(source.depot), \(source.item), \(quantity), \(ask.category?.rawValue), \(weights)::jsonb,
                    \(plan.basis.rawValue), \(access.subject))
            """,
            logger: logger
        )
        try await connection.query(
            """
            INSERT INTO allocation_plan_shares (plan_id, community, name, points, quantity, reasoning, depot_id)
            SELECT \(id), c, n, p, q, r, nullif(d, '')::uuid
            FROM unnest(\(plan.shares.map(\.community))::text[], \(plan.shares.map(\.name))::text[],
                \(plan.shares.map(\.points))::int[], \(plan.shares.map(\.quantity))::int[], \(plan.shares.map(\.reasoning))::text[],
                \(plan.shares.map { destinations[$0.community]?.lowercasedString ?? "" })::text[]) AS t (c, n, p, q, r, d)
            """,
            logger: logger
        )
        guard let saved = try await read(id) else { throw NotFound("allocation plan") }
        return saved
    }

    /// Approves a plan of the caller's area (404 otherwise): who and when are kept.
    func approve(_ id: UUID, by access: AccessToken) async throws -> Saved {
        var progress = try await lock(id, visibleTo: access)
        try progress.approve()
        try await connection.query(
            """
            UPDATE allocation_plans SET status = \(progress.status.rawValue), approved_by = \(access.subject), approved_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        guard let saved = try await read(id) else { throw NotFound("allocation plan") }
        return saved
    }

    /// Carries out an approved plan of the caller's area: one transfer per share that leaves
    /// the depot, first-expiring lots first. 409 when the depot no longer holds enough — then
    /// nothing moves.
    func transfer(_ id: UUID, by access: AccessToken) async throws -> Carried {
        var progress = try await lock(id, visibleTo: access)
        try progress.transfer()
        guard var plan = try await read(id) else { throw NotFound("allocation plan") }
        let stock = StockStore(connection: connection, logger: logger)
        var moved: [Carried.Moved] = []
        for share in plan.shares where share.quantity > 0 && !share.stays {
            guard let depot = share.depotId else { continue }
            let transfer = Transfer(
                from: plan.depotId, to: depot, item: plan.itemId, quantity: share.quantity,
                reason: "allocation plan \(id.lowercasedString) for \(share.community)")
            let lots = try await stock.transfer(transfer, by: access)
            moved.append(.init(community: share.community, toDepotId: depot, quantity: share.quantity, lots: lots))
        }
        guard
            let transferredAt = try await connection.query(
                """
                UPDATE allocation_plans SET status = \(progress.status.rawValue), transferred_by = \(access.subject), transferred_at = now()
                WHERE id = \(id) RETURNING transferred_at
                """,
                logger: logger
            ).decode(Date.self).collectAll().first
        else { throw NotFound("allocation plan") }
        plan.status = progress.status
        plan.transferredBy = access.subject
        plan.transferredAt = transferredAt
        return Carried(plan: plan, transfers: moved)
    }

    func read(_ id: UUID) async throws -> Saved? {
        guard
            let row = try await connection.query(
                """
                SELECT area, depot_id, item_id, quantity, category, weights::text, basis, status, proposed_by, proposed_at,
                       approved_by, approved_at, transferred_by, transferred_at
                FROM allocation_plans WHERE id = \(id)
                """,
                logger: logger
            ).decode((String, UUID, UUID, Int, String?, String, String, String, String, Date, String?, Date?, String?, Date?).self)
                .collectAll().first
        else { return nil }
        let shares = try await connection.query(
            """
            SELECT community, name, points, quantity, reasoning, depot_id FROM allocation_plan_shares
            WHERE plan_id = \(id) ORDER BY community
            """,
            logger: logger
        ).decode((String, String, Int, Int, String, UUID?).self).collectAll().map {
            Saved.Share(
                community: $0.0, name: $0.1, points: $0.2, quantity: $0.3, reasoning: $0.4, depotId: $0.5, stays: $0.5 == row.1)
        }
        return Saved(
            id: id, area: row.0, depotId: row.1, itemId: row.2, quantity: row.3, category: row.4,
            weights: (try? JSONDecoder().decode(Allocation.Weights.self, from: Data(row.5.utf8))) ?? Allocation.Weights(),
            basis: Allocation.Basis(rawValue: row.6) ?? .need, status: AllocationProgress.Status(rawValue: row.7) ?? .proposed,
            proposedBy: row.8, proposedAt: row.9, approvedBy: row.10, approvedAt: row.11, transferredBy: row.12, transferredAt: row.13,
            shares: shares
        )
    }

    /// The plan's progress, its row locked; 404 when there is none in the caller's area.
    private func lock(_ id: UUID, visibleTo access: AccessToken) async throws -> AllocationProgress {
        guard
            let (area, status) = try await connection.query(
                "SELECT area, status FROM allocation_plans WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, String).self).collectAll().first, let code = AreaCode(area), access.covers(code),
            let status = AllocationProgress.Status(rawValue: status)
        else { throw NotFound("allocation plan") }
        return AllocationProgress(status: status)
    }

    /// What may be allocated now: on the shelf, not promised, not expired.
    private func available(_ source: AllocationAsk.Source) async throws -> Int {
        try await connection.query(
            """
            SELECT coalesce(sum(b.on_hand - b.reserved), 0)::int FROM stock_balances b JOIN lots l ON l.id = b.lot_id
            WHERE b.depot_id = \(source.depot) AND b.item_id = \(source.item) AND (l.expires_at IS NULL OR l.expires_at > now())
            """,
            logger: logger
        ).decode(Int.self).collectAll().first ?? 0
    }

    /// The depots under `area`, and the plan's own wherever it is.
    private func depots(under area: AreaCode, plus source: UUID) async throws -> [(id: UUID, area: AreaCode)] {
        try await connection.query(
            "SELECT id, area FROM depots WHERE area LIKE \(area.rawValue + "%") OR id = \(source) ORDER BY id", logger: logger
        ).decode((UUID, String).self).collectAll().compactMap { id, area in AreaCode(area).map { (id, $0) } }
    }

    /// The depot a community's share goes to, or why there is none to choose.
    static func destination(of community: AreaCode, named: UUID?, source: UUID, depots: [(id: UUID, area: AreaCode)])
        -> Result<UUID, DestinationProblem>
    {
        let inside = depots.filter { community.contains($0.area) }
        if let named {
            return inside.contains(where: { $0.id == named }) ? .success(named) : .failure(.notInCommunity)
        }
        if inside.contains(where: { $0.id == source }) { return .success(source) }
        switch inside.count {
        case 1: return .success(inside[0].id)
        case 0: return .failure(.noDepot)
        default: return .failure(.severalDepots)
        }
    }

    enum DestinationProblem: Error, CustomStringConvertible {
        case notInCommunity, noDepot, severalDepots

        var description: String {
            switch self {
            case .notInCommunity: "has no such depot: name a depot of the community"
            case .noDepot: "has no depot to receive its share: name one in destinations"
            case .severalDepots: "has several depots: name the one that receives its share in destinations"
            }
        }
    }
}
