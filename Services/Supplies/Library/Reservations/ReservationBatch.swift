import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit

/// Reservations that arrived together, written in one transaction: the same checks, rows,
/// ledger movements and events as ``ReservationStore/reserve(_:by:)`` made one by one, but
/// each lot's balance changed once for the whole batch.
///
/// Why: a lot's row is locked from its change to the commit, so one hot lot (a city-wide
/// call for masks) took one reservation per commit, about 500 a second. Here everything that
/// needs no lot — the area checks, the work orders' locks, the plan — comes first and
/// unlocked; then each lot gets one conditional change by the batch's sum, in lot-id order,
/// and the lock is held only from there to the commit.
///
/// Concurrency: the plan is made against balances read without a lock, so another process
/// may take a lot meanwhile; its conditional change then fails whole and the batch throws
/// ``LotTakenMeanwhile`` having written nothing that will commit: the caller rolls back and
/// runs the batch again with its lots locked before the plan. No reservation is ever written against
/// stock that is not there; the balance's CHECKs back that up.
struct ReservationBatch {
    let connection: PostgresConnection
    let logger: Logger

    /// One reservation as asked for, with whoever asked.
    struct Job: Sendable {
        var reservation: NewReservation
        var access: AccessToken
        var now: Date = Date()
    }

    /// A lot planned from changed before the batch could reserve it; nothing was reserved.
    struct LotTakenMeanwhile: Error {}

    /// Reserves every job it can; each gets its reservation or the refusal it alone earned.
    /// With `lockingLots`, every lot the batch may take is locked before it is planned (in
    /// lot-id order, after the work orders' locks): slower to start, but the plan cannot go
    /// stale, so ``LotTakenMeanwhile`` is not thrown.
    func reserve(_ jobs: [Job], lockingLots: Bool = false) async throws -> [Result<Reservation, any Error>] {
        var results: [Result<Reservation, any Error>?] = Array(repeating: nil, count: jobs.count)
        func refuse(_ index: Int, _ error: any Error) { results[index] = .failure(error) }

        // The callers' areas: every depot, and every work order, in one read each.
        let depotAreas = try await DepotAccess(connection: connection, logger: logger).areas(of: Set(jobs.map(\.reservation.depot)))
        for (index, job) in jobs.enumerated() {
            guard let area = depotAreas[job.reservation.depot], job.access.covers(area) else {
                refuse(index, InvalidFields("depotId", "no such depot in your area"))
                continue
            }
        }
        let requests = Set(jobs.indices.filter { results[$0] == nil }.compactMap { jobs[$0].reservation.request })
        let workOrders = WorkOrders(connection: connection, logger: logger)
        let compounds = try await workOrders.compounds(of: requests)
        for (index, job) in jobs.enumerated() where results[index] == nil {
            guard let request = job.reservation.request else { continue }
            guard let compound = compounds[request], job.access.covers(compound) else {
                refuse(index, InvalidFields("requestId", "no such work order in your area"))
                continue
            }
        }
        // Then the work orders' locks (so a cancellation and a reservation never cross), and
        // what has ended since.
        let open = Set(jobs.indices.filter { results[$0] == nil }.compactMap { jobs[$0].reservation.request })
        try await workOrders.lock(open)
        let ended = try await workOrders.ended(open)
        for (index, job) in jobs.enumerated() where results[index] == nil {
            if let request = job.reservation.request, ended.contains(request) { refuse(index, ReservationStore.workOrderEnded) }
        }

        // The plan: first come, first served, from what the lots hold now.
        let ledger = StockLedger(connection: connection, logger: logger)
        var lots: [StockKey: [LotPlan.Lot]] = [:]
        let pairs = Set(
            jobs.indices.filter { results[$0] == nil }.map { StockKey(depot: jobs[$0].reservation.depot, item: jobs[$0].reservation.item) })
        for (depot, item, lot) in try await ledger.availableLots(of: pairs.map { ($0.depot, $0.item) }, locked: lockingLots) {
            lots[StockKey(depot: depot, item: item), default: []].append(lot)
        }
        var shares: [UUID: [StockLedger.ReservedShare]] = [:]
        var reserved: [Reservation] = []
        var actors: [String] = []
        var events: [OutboxEvent] = []
        for (index, job) in jobs.enumerated() where results[index] == nil {
            let asked = job.reservation
            let key = StockKey(depot: asked.depot, item: asked.item)
            guard let plan = LotPlan(quantity: asked.quantity, from: lots[key] ?? [], now: job.now) else {
                refuse(index, ReservationStore.notEnough(in: lots[key] ?? [], quantity: asked.quantity, now: job.now))
                continue
            }
            let reservation = Reservation(
                id: UUID(), request: asked.request, depot: asked.depot, item: asked.item, quantity: asked.quantity, status: .held)
            let context = ReservationStore.context(of: reservation, actor: job.access.subject)
            for take in plan.takes {
                if let at = lots[key]?.firstIndex(where: { $0.id == take.lot }) { lots[key]?[at].available -= take.quantity }
                shares[take.lot, default: []].append(.init(reservation: reservation.id, quantity: take.quantity, context: context))
            }
            results[index] = .success(reservation)
            reserved.append(reservation)
            actors.append(job.access.subject)
            events.append(
                SuppliesEvents.reservation(
                    SuppliesEvents.reservationCreated, reservation, area: depotAreas[asked.depot]?.rawValue ?? ""))
        }

        try await insert(reserved, actors: actors)
        try await Outbox.append(events, on: connection, logger: logger)
        // Each lot once, in the order every ledger change takes them.
        for (lot, lotShares) in shares.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard try await ledger.reserveTogether(lot: lot, lotShares) else { throw LotTakenMeanwhile() }
        }
        return results.map {
            $0 ?? .failure(ProblemDetails(status: .internalServerError, detail: "This reservation was not recorded; resend it."))
        }
    }

    private struct StockKey: Hashable {
        var depot: UUID
        var item: UUID
    }

    private func insert(_ reservations: [Reservation], actors: [String]) async throws {
        guard !reservations.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO reservations (id, request_id, depot_id, item_id, quantity, actor)
            SELECT i, NULLIF(r, '')::uuid, d, t, q, a
            FROM UNNEST(\(reservations.map(\.id))::uuid[], \(reservations.map { $0.request?.lowercasedString ?? "" })::text[],
                        \(reservations.map(\.depot))::uuid[], \(reservations.map(\.item))::uuid[], \(reservations.map(\.quantity))::int[],
                        \(actors)::text[]) AS n(i, r, d, t, q, a)
            """,
            logger: logger
        )
    }
}
