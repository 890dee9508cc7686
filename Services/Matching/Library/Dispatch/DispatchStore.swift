import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL around ``OfferChain``: who the candidates are, each dispatch's row and history,
/// and the events every step announces.
struct DispatchStore {
    let connection: PostgresConnection
    let logger: Logger
    var window: TimeInterval = 15 * 60
    var offerLength: TimeInterval = 3 * 60

    /// The skill a category needs: a driver for medicine runs and escorts, a counsellor for
    /// psychological support.
    static func skill(for category: String) -> String? {
        switch category {
        case WorkOrderCategory.medicine.rawValue, WorkOrderCategory.medicalEscort.rawValue: "driving"
        case WorkOrderCategory.psychologicalSupport.rawValue: "counselling"
        default: nil
        }
    }

    /// Eligible volunteers of the district available now or on a shift now, with the skill:
    /// same community first, then same street, then the lowest current load.
    func candidates(compound: AreaCode, category: String, limit: Int = 10) async throws -> [UUID] {
        let community = compound.parent?.rawValue ?? compound.rawValue
        let street = compound.street?.rawValue ?? community
        let skill = Self.skill(for: category) ?? ""
        return try await connection.query(
            """
            SELECT v.id FROM volunteers v
            WHERE v.status = 'verified' AND v.trained AND v.insured AND v.community LIKE \(compound.district.rawValue + "%")
              AND (\(skill) = '' OR \(skill) = ANY(v.skills))
              AND (EXISTS (SELECT 1 FROM jsonb_array_elements(v.availability) w
                           WHERE (w->>'from')::timestamptz <= now() AND (w->>'to')::timestamptz > now())
                   OR EXISTS (SELECT 1 FROM roster_assignments a JOIN shifts s ON s.id = a.shift_id
                              WHERE a.volunteer_id = v.id AND a.status <> 'cancelled' AND s.starts_at <= now() AND s.ends_at > now()))
            ORDER BY (v.community = \(community)) DESC, (v.community LIKE \(street + "%")) DESC,
                     (SELECT count(*) FROM dispatches d WHERE d.holder = v.id AND d.status = 'assigned'), v.seq
            LIMIT \(limit)
            """,
            logger: logger
        ).decode(UUID.self).collectAll()
    }

    /// Opens the dispatch of a new request and makes its first offer; nothing when it exists.
    func open(request: UUID, compound: AreaCode, category: String, urgency: String, now: Date) async throws {
        let exists =
            try await connection.query("SELECT 1 FROM dispatches WHERE request_id = \(request)", logger: logger).collect().count > 0
        guard !exists else { return }
        var chain = OfferChain(
            candidates: try await candidates(compound: compound, category: category), deadline: now.addingTimeInterval(window),
            offerLength: offerLength)
        let effect = chain.start(now: now)
        try await connection.query(
            """
            INSERT INTO dispatches (request_id, compound, category, urgency, status, candidates, next_candidate, holder, offer_expires_at, deadline_at)
            VALUES (\(request), \(compound.rawValue), \(category), \(urgency), \(chain.status.rawValue), \(chain.candidates), \(chain.next),
                    \(chain.holder), \(chain.offerExpiresAt), \(chain.deadline))
            """,
            logger: logger
        )
        try await announce(effect, request: request, compound: compound.rawValue)
    }

    /// The dispatch, locked, as its state machine.
    func lock(_ request: UUID) async throws -> (chain: OfferChain, compound: String)? {
        try await connection.query(
            """
            SELECT candidates, next_candidate, status, holder, offer_expires_at, deadline_at, compound FROM dispatches WHERE request_id = \(request) FOR UPDATE
            """,
            logger: logger
        ).decode(([UUID], Int, String, UUID?, Date?, Date, String).self).collectAll().first.map { row in
            (
                OfferChain(
                    candidates: row.0, deadline: row.5, offerLength: offerLength, next: row.1,
                    status: OfferChain.Status(rawValue: row.2) ?? .offering,
                    holder: row.3, offerExpiresAt: row.4
                ), row.6
            )
        }
    }

    /// Stores the chain's new state and announces what happened.
    func save(_ chain: OfferChain, request: UUID, compound: String, effect: OfferChain.Effect) async throws {
        var hours: Double?
        if case .completed(_, let worked) = effect { hours = worked }
        try await connection.query(
            """
            UPDATE dispatches SET status = \(chain.status.rawValue), candidates = \(chain.candidates), next_candidate = \(chain.next),
                   holder = \(chain.holder), offer_expires_at = \(chain.offerExpiresAt), deadline_at = \(chain.deadline),
                   hours = coalesce(\(hours), hours), moved_at = now()
            WHERE request_id = \(request)
            """,
            logger: logger
        )
        try await announce(effect, request: request, compound: compound)
    }

    /// The volunteer's answer to the offer or task of `request`, `dispatch` being its row as
    /// ``lock(_:)`` read it: the chain moves on (a completion records the hours in the ledger),
    /// or a rule refuses (``Refusal``, answered 409). Whether the volunteer is on duty is asked
    /// at every accept, since the withdrawal that follows a suspension arrives over the bus a
    /// moment later.
    func answer(_ answer: DispatchAnswer, to request: UUID, in dispatch: (chain: OfferChain, compound: String), actor: String)
        async throws -> OfferChain
    {
        var chain = dispatch.chain
        let now = try await now()
        let effect: OfferChain.Effect
        switch answer {
        case .accept(let volunteer):
            if let reason = try await offDutyReason(volunteer) {
                throw Refusal("The offer cannot be accepted: \(reason).", title: "Not on duty")
            }
            effect = try chain.accept(by: volunteer, now: now)
        case .decline(let volunteer):
            effect = try chain.decline(by: volunteer, now: now)
        case .complete(let volunteer, let hours):
            effect = try chain.complete(by: volunteer, hours: hours)
        }
        try await move(chain, request: request, compound: dispatch.compound, effect: effect, actor: actor)
        return chain
    }

    /// Supplies reports the request's goods or purchase delivered (`cause`, the topic): the
    /// dispatch completes (``OfferChain/deliver()``), a held task with a zero-hour entry in
    /// the ledger that staff correct to the time worked. Nothing when there is no such
    /// dispatch or it already ended.
    func deliver(_ request: UUID, cause: String) async throws {
        guard let locked = try await lock(request) else { return }
        var chain = locked.chain
        guard let effect = chain.deliver() else { return }
        try await move(chain, request: request, compound: locked.compound, effect: effect, actor: cause)
    }

    /// The dispatcher (`actor`) offers an unassigned request again
    /// (``OfferChain/reopen(candidates:now:window:)``), `dispatch` being its row as
    /// ``lock(_:)`` read it: the candidates are computed now, by the database's clock like
    /// every other step, and the first is offered (`matching.request.offered`), or the
    /// request is unassigned again at once when still nobody fits. Anything but an unassigned
    /// request is refused (``Refusal``, answered 409).
    func reoffer(_ request: UUID, in dispatch: (chain: OfferChain, compound: String), actor: String) async throws -> OfferChain {
        guard let compound = AreaCode(dispatch.compound),
            let category = try await connection.query(
                "SELECT category FROM dispatches WHERE request_id = \(request)", logger: logger
            ).decode(String.self).collectAll().first
        else { throw NotFound("dispatch") }
        var chain = dispatch.chain
        let now = try await now()
        // Asked even when the chain then refuses: a read, and the rule stays in one place.
        let effect = try chain.reopen(candidates: try await candidates(compound: compound, category: category), now: now, window: window)
        // Who gave the request another round, next to the offers it produced.
        try await connection.query(
            "INSERT INTO dispatch_history (request_id, event, note) VALUES (\(request), 'reoffered', \(actor))", logger: logger)
        try await move(chain, request: request, compound: dispatch.compound, effect: effect, actor: actor)
        return chain
    }

    /// Saves the chain's step (``save(_:request:compound:effect:)``) and, for a completed task,
    /// records its hours in the ledger on behalf of `actor`.
    private func move(_ chain: OfferChain, request: UUID, compound: String, effect: OfferChain.Effect, actor: String) async throws {
        try await save(chain, request: request, compound: compound, effect: effect)
        if case .completed(let who, let hours) = effect {
            try await ServiceHours(connection: connection, logger: logger).record(
                volunteer: who, source: "task", sourceID: request, hours: hours, actor: actor
            )
        }
    }

    /// The database's clock: offers lapse by it, whichever replica asks.
    func now() async throws -> Date {
        try await connection.query("SELECT now()", logger: logger).decode(Date.self).collectAll().first ?? Date()
    }

    /// Takes back every offer and unfinished task `volunteer` holds and offers each to the
    /// next volunteer available now (``OfferChain/withdraw(_:now:replacements:window:)``);
    /// returns how many moved. Runs when intake announces the volunteer off duty.
    @discardableResult
    func withdraw(from volunteer: UUID, because reason: String, now: Date) async throws -> Int {
        let held = try await connection.query(
            "SELECT request_id, category FROM dispatches WHERE holder = \(volunteer) AND status IN ('offering', 'assigned') ORDER BY created_at FOR UPDATE",
            logger: logger
        ).decode((UUID, String).self).collectAll()
        var moved = 0
        for (request, category) in held {
            guard let locked = try await lock(request), let compound = AreaCode(locked.compound) else { continue }
            var chain = locked.chain
            let replacements = try await candidates(compound: compound, category: category)
            guard let effect = chain.withdraw(volunteer, now: now, replacements: replacements, window: window) else { continue }
            try await connection.query(
                "INSERT INTO dispatch_history (request_id, event, volunteer_id, note) VALUES (\(request), 'withdrawn', \(volunteer), \(reason))",
                logger: logger
            )
            try await save(chain, request: request, compound: locked.compound, effect: effect)
            moved += 1
        }
        return moved
    }

    /// Why `volunteer` may not take a task now, or `nil` when they may: only a verified,
    /// trained and insured volunteer is sent into a compound. Asked at every accept, since
    /// the withdrawal that follows a suspension arrives over the bus a moment later.
    func offDutyReason(_ volunteer: UUID) async throws -> String? {
        guard
            let (status, trained, insured) = try await connection.query(
                "SELECT status, trained, insured FROM volunteers WHERE id = \(volunteer)", logger: logger
            ).decode((String, Bool, Bool).self).collectAll().first
        else {
            return "this volunteer is not registered"
        }
        if status != "verified" { return "this volunteer is \(status) and cannot take tasks until the station reinstates them" }
        if !trained || !insured { return "this volunteer has not completed training and insurance yet" }
        return nil
    }

    /// Offers that lapsed, oldest and most urgent first, each taken by one replica only.
    func lapsed(limit: Int = 50) async throws -> [UUID] {
        try await connection.query(
            """
            SELECT request_id FROM dispatches WHERE status = 'offering' AND offer_expires_at <= now()
            ORDER BY CASE urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, created_at
            LIMIT \(limit) FOR UPDATE SKIP LOCKED
            """,
            logger: logger
        ).decode(UUID.self).collectAll()
    }

    /// Writes the step into the dispatch's history and announces it, in this transaction.
    private func announce(_ effect: OfferChain.Effect, request: UUID, compound: String) async throws {
        let history: String
        var volunteer: UUID?
        var note: String?
        switch effect {
        case .offered(let who, _): (history, volunteer) = ("offered", who)
        case .assigned(let who): (history, volunteer) = ("assigned", who)
        case .unassigned(let reason): (history, note) = ("unassigned", reason)
        case .completed(let who, _): (history, volunteer) = ("completed", who)
        case .cancelled: history = "cancelled"
        case .fulfilled: history = "delivered"
        }
        try await connection.query(
            "INSERT INTO dispatch_history (request_id, event, volunteer_id, note) VALUES (\(request), \(history), \(volunteer), \(note))",
            logger: logger
        )
        try await Outbox.append(MatchingEvents.dispatch(effect, request: request, compound: compound), on: connection, logger: logger)
    }
}
