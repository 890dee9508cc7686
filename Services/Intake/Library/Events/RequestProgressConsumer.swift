import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import Store

/// Moves residents' requests along as the other services report on them (assigned,
/// supplies reserved, delivered, completed, followed up), so the resident and the station
/// see one status. One durable consumer per producing stream; the inbox makes each event's
/// effect happen once across restarts and replicas.
struct RequestProgressConsumer: EventConsumer {
    let stream: String
    let endpoints: BusEndpoints
    let client: PostgresClient
    let logger: Logger

    /// One inbox per producing stream; positions are stored under these names.
    var inbox: String { "intake.request-progress.\(stream)" }
    var prefixes: [String] { [stream + "."] }

    /// Also keeps who holds each request's task (``RequestHolders``): the one volunteer who may
    /// read its details.
    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        let next = WorkOrderProgress.status(forTopic: event.topic.rawValue)
        let holder = RequestHolders.holder(after: event.topic.rawValue, data: event.data)
        guard next != nil || holder != nil, let id = event.data["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return }
        let store = RequestStore(connection: connection, logger: logger)
        guard var summary = try await store.lock(id) else {
            logger.warning("event names an unknown request", metadata: ["topic": "\(event.topic)", "event": "\(event.id)"])
            return
        }
        if let holder { try await RequestHolders(connection: connection, logger: logger).follow(id, holder: holder, at: event.occurredAt) }
        guard let next else { return }
        var progress = WorkOrderProgress(status: summary.status)
        let previous = summary.status
        guard progress.advance(to: next) else { return }
        summary.status = progress.status
        try await store.update(
            summary, from: previous, cause: event.topic.rawValue, actor: event.stream, topic: IntakeEvents.requestStatusChanged,
            extra: ["cause": .string(event.topic.rawValue)]
        )
    }
}
