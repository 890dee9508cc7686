import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import Store

/// Follows the requests intake files for outreach's needs: links each need to its request,
/// marks it fulfilled when delivered or completed (the follow-up call is due then), closed
/// when the request is cancelled, and follows a merge to the request that survives it.
struct NeedProgressConsumer: EventConsumer {
    let inbox = "outreach.needs"
    let prefixes = ["intake.request."]
    let endpoints: BusEndpoints
    let client: PostgresClient
    let logger: Logger

    /// Events of one request arrive in no guaranteed order across topics (a replay serves
    /// topic by topic), so each one only says "look again": the need's status is derived
    /// from the request's current state in intake's table, and only ever moves forward.
    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        guard let request = event.data["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return }
        if let need = event.data["needId"]?.stringValue.flatMap(UUID.init(uuidString:)) {
            // Intake copied the resident's contact into the work order: that is a read of the
            // record, logged here with the others.
            let linked = try await connection.query(
                "UPDATE outreach_needs SET request_id = \(request), updated_at = now() WHERE id = \(need) AND request_id IS NULL RETURNING resident_id",
                logger: logger
            ).decode(UUID.self).collectAll()
            for resident in linked {
                try await RegistryReads(connection: connection, logger: logger)
                    .log(
                        resident: resident, reader: "intake", role: "service",
                        reason: "contact copied into work order " + request.lowercasedString)
            }
        }
        let needs = try await connection.query(
            "SELECT id, status, request_id FROM outreach_needs WHERE request_id = \(request) ORDER BY id FOR UPDATE", logger: logger
        ).decode((UUID, String, UUID).self).collectAll()
        for (need, status, linked) in needs {
            try await refresh(
                need, status: NeedStatus(rawValue: status) ?? .identified, request: linked, at: event.occurredAt, on: connection)
        }
    }

    /// Follows merges to the surviving request and moves the need to what that request's
    /// status implies, if that is further along.
    private func refresh(_ need: UUID, status: NeedStatus, request: UUID, at occurred: Date, on connection: PostgresConnection) async throws
    {
        var current = request
        var requestStatus: String?
        for _ in 0..<8 {
            guard
                let (status, mergedInto) = try await connection.query(
                    "SELECT status, merged_into FROM requests WHERE id = \(current)", logger: logger
                ).decode((String, UUID?).self).collectAll().first
            else { return }
            requestStatus = status
            guard status == "merged", let mergedInto else { break }
            current = mergedInto
        }
        guard let requestStatus, let next = Self.needStatus(forRequestStatus: requestStatus), next.rank > status.rank || current != request
        else { return }
        let target = next.rank > status.rank ? next : status
        try await connection.query(
            "UPDATE outreach_needs SET status = \(target.rawValue), request_id = \(current), updated_at = now() WHERE id = \(need)",
            logger: logger
        )
        if target == .fulfilled && status != .fulfilled,
            let resident = try await connection.query("SELECT resident_id FROM outreach_needs WHERE id = \(need)", logger: logger).decode(
                UUID.self
            ).collectAll().first
        {
            try await FollowUpStore(connection: connection, logger: logger).scheduleAfterFulfilment(
                of: need, resident: resident, fulfilled: occurred)
        }
    }

    /// What a request's status means for the need behind it.
    static func needStatus(forRequestStatus status: String) -> NeedStatus? {
        switch status {
        case "delivered", "completed", "followed-up": .fulfilled
        case "cancelled": .closed
        case "merged": nil
        default: .requested
        }
    }
}

extension NeedStatus {
    /// How far along: a need never moves back.
    var rank: Int {
        switch self {
        case .identified: 0
        case .requested: 1
        case .fulfilled, .closed: 2
        }
    }
}
