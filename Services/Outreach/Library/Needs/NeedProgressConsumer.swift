import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Store

/// Follows the requests intake files for outreach's needs: links each need to its request,
/// marks it fulfilled when delivered or completed (the follow-up call is due then), and
/// closed when the request is cancelled or merged away.
struct NeedProgressConsumer: Service {
    let endpoints: BusEndpoints
    let client: PostgresClient
    let logger: Logger

    func run() async throws {
        let inbox = Inbox(consumer: "outreach.needs")
        let positions = try await inbox.positions(client: client, logger: logger)
        let subscriber = BusSubscriber(
            configuration: SubscriberConfiguration(endpoints: endpoints, prefix: "intake.request.", start: .after(positions)), logger: logger
        )
        try await subscriber.run { batch in
            try await inbox.process(batch, client: client, logger: logger) { event, connection in
                try await apply(event, on: connection)
            }
        }
    }

    private func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        guard let request = event.data["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return }
        if event.topic.rawValue == "intake.request.created" {
            guard let need = event.data["needId"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return }
            try await connection.query(
                """
                UPDATE outreach_needs SET request_id = \(request), status = \(NeedStatus.requested.rawValue), updated_at = now()
                WHERE id = \(need) AND status = \(NeedStatus.identified.rawValue)
                """,
                logger: logger
            )
            return
        }
        guard let status = event.data["status"]?.stringValue, let next = Self.needStatus(forRequestStatus: status) else { return }
        try await connection.query(
            """
            UPDATE outreach_needs SET status = \(next.rawValue), updated_at = now()
            WHERE request_id = \(request) AND status = \(NeedStatus.requested.rawValue)
            """,
            logger: logger
        )
    }

    /// What a request's new status means for the need behind it; `nil` when nothing changes.
    static func needStatus(forRequestStatus status: String) -> NeedStatus? {
        switch status {
        case "delivered", "completed", "followed-up": .fulfilled
        case "cancelled", "merged": .closed
        default: nil
        }
    }
}
