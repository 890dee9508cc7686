import EventBus
import Foundation
import Hummingbird
import Logging
import Models
import NIOCore
import ServiceKit
import Synchronization

/// `GET /v1/events?prefix=…`: the bus as Server-Sent Events, for integrators without ZeroMQ.
///
/// Each stream is a client of this bus like any other — a ``BusSubscriber`` on the bus's own
/// sockets, with replay, gap and heartbeat handling — that reads as the caller's integrator
/// key: the bearer token (role `integrator`) names the key, and the stream connects with a
/// key pair of this process holding that key's grant (``BusAccess/streamCredentials(for:)``).
/// So the bus enforces the prefixes and the replay budget as for the integrator itself, and
/// revoking the key cuts the stream within one key reload. It never reads a service's tables.
///
/// Every event's `id:` is the cursor after it (``EventStreamCursor``): a client that
/// reconnects with `Last-Event-ID` (browsers do it by themselves) resumes exactly after the
/// last event it received, on this or any other bus process. A client that reads slower
/// than the bus publishes is disconnected once 256 frames wait for it, and resumes the
/// same way: a slow reader costs itself a reconnect, never the bus its memory.
struct EventStreamRoute: Sendable {
    /// Where this process's own sockets are, seen from inside it.
    let endpoints: BusEndpoints
    let access: BusAccess
    /// `nil` without `SHOUWANG_TOKEN_SECRET`: every stream is refused.
    let tokens: TokenSigner?
    let slots: EventStreamSlots
    let logger: Logger

    /// A comment this often on an idle stream, so proxies keep it and a gone client is noticed.
    static let keepAlive: Duration = .seconds(15)

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/events") { request, _ in try open(request) }
    }

    private func open(_ request: Request) throws -> Response {
        guard let tokens, access.security != nil else {
            throw ProblemDetails(
                status: .serviceUnavailable,
                detail:
                    "This bus serves no event stream: it needs SHOUWANG_TOKEN_SECRET and CURVE keys (SHOUWANG_BUS_SERVER_SECRET_KEY_FILE).")
        }
        let caller = try tokens.authenticate(request, allowing: [.integrator])
        let form = try EventStreamForm(request: request)
        guard let grant = access.integratorGrant(caller.subject) else {
            throw ProblemDetails(status: .forbidden, detail: "No active integrator key is named '\(caller.subject)' (shouwang keys list).")
        }
        guard grant.mayRead(prefix: form.prefix) else {
            throw ProblemDetails(
                status: .forbidden,
                detail:
                    "The key '\(grant.name)' may not read '\(form.prefix)'; it may read \(grant.prefixes.map { "'\($0)'" }.joined(separator: ", "))."
            )
        }
        guard let credentials = try access.streamCredentials(for: grant.name) else {
            throw ProblemDetails(status: .forbidden, detail: "The key '\(grant.name)' was revoked.")
        }
        guard slots.count < slots.limit else {
            var problem = ProblemDetails(
                status: .serviceUnavailable, detail: "This bus process serves \(slots.limit) event streams already; retry shortly.")
            problem.retryAfterSeconds = 5
            throw problem
        }
        var endpoints = endpoints
        endpoints.credentials = credentials
        var configuration = SubscriberConfiguration(endpoints: endpoints, prefix: form.prefix, start: form.start)
        configuration.pageLimit = 1000
        let stream = EventStream(
            configuration: configuration, key: grant.name, cursor: form.cursor, access: access, slots: slots, logger: logger)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in try await stream.run(&writer) })
    }
}

/// One open stream: a subscriber filling a short queue, a watch on the key, and the
/// response writer draining the queue. Ends when the client goes, the key is revoked, the
/// client falls 256 frames behind, or the bus process shuts down.
struct EventStream: Sendable {
    let configuration: SubscriberConfiguration
    let key: String
    let cursor: EventStreamCursor
    let access: BusAccess
    let slots: EventStreamSlots
    let logger: Logger

    struct ClientTooSlow: Error {}

    func run(_ writer: inout any ResponseBodyWriter) async throws {
        // Taken here, where it is surely given back, not when the request was checked: a
        // body that never runs (the client went first) must not keep a slot.
        guard slots.take() else {
            try await writer.write(ServerSentEvent.comment("this bus process serves \(slots.limit) streams already; reconnecting later"))
            try await writer.write(ByteBuffer(string: "retry: 5000\n\n"))
            try await writer.finish(nil)
            return
        }
        defer { slots.give() }
        let (frames, queue) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingOldest(256))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [configuration, cursor, logger] in
                defer { queue.finish() }
                // The subscriber calls its handler one batch at a time; the lock only satisfies
                // the handler's Sendable contract.
                let position = CursorBox(cursor)
                try await BusSubscriber(configuration: configuration, logger: logger).run { batch in
                    let buffer = try position.frames(of: batch)
                    if case .dropped = queue.yield(buffer) { throw ClientTooSlow() }
                }
            }
            group.addTask { [access, key] in
                defer { queue.finish() }
                var idle = Duration.zero
                while access.integratorGrant(key) != nil {
                    try await Task.sleep(for: .seconds(1))
                    idle += .seconds(1)
                    if idle >= EventStreamRoute.keepAlive {
                        idle = .zero
                        if case .dropped = queue.yield(ServerSentEvent.comment("alive")) { return }
                    }
                }
            }
            try await writer.write(ServerSentEvent.retry)
            for await frame in frames { try await writer.write(frame) }
            group.cancelAll()
            try? await group.waitForAll()
        }
        try await writer.finish(nil)
    }
}

/// A stream's cursor, advanced by each batch it frames.
final class CursorBox: Sendable {
    private let cursor: Mutex<EventStreamCursor>

    init(_ cursor: EventStreamCursor) { self.cursor = Mutex(cursor) }

    /// The frames of `batch`, each carrying the cursor just after it.
    func frames(of batch: [EventEnvelope]) throws -> ByteBuffer {
        try cursor.withLock { cursor in
            var buffer = ByteBuffer()
            for envelope in batch {
                cursor.advance(topic: envelope.topic.rawValue, to: envelope.seq)
                try ServerSentEvent.append(envelope, cursor: cursor, to: &buffer)
            }
            return buffer
        }
    }
}

/// How many streams this process serves at once, at most ``limit``: each holds two sockets
/// and a thread.
final class EventStreamSlots: Sendable {
    let limit: Int
    private let open = Mutex(0)

    init(limit: Int) { self.limit = limit }

    func take() -> Bool {
        open.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func give() { open.withLock { $0 -= 1 } }

    var count: Int { open.withLock { $0 } }
}
