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
/// last event it received, on this or any other bus process; a stream opened `from=now`
/// first sends an id alone, the heads it starts after. A client that reads slower than the
/// bus publishes is disconnected once 4 MiB wait for it, and resumes the same way.
struct EventStreamRoute: Sendable {
    /// Where this process's own sockets are, seen from inside it.
    let endpoints: BusEndpoints
    let access: BusAccess
    /// Checks integrators' tokens: signed with `SHOUWANG_INTEGRATOR_TOKEN_SECRET`, a secret of
    /// the bus and the operator's CLI only, never the services' (the bus could otherwise
    /// forge their tokens). `nil` without it: every stream is refused.
    let tokens: TokenSigner?
    let slots: EventStreamSlots
    let logger: Logger

    /// A comment this often on an idle stream, so proxies keep it and a gone client is noticed
    /// (until a write fails, its stream holds a slot).
    static let keepAlive: Duration = .seconds(5)

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
        var endpoints = endpoints
        endpoints.credentials = credentials
        var configuration = SubscriberConfiguration(endpoints: endpoints, prefix: form.prefix, start: form.start)
        configuration.pageLimit = 1000
        let stream = EventStream(
            configuration: configuration, key: grant.name, cursor: form.cursor, fromNow: form.fromNow, access: access, slots: slots,
            logger: logger)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in try await stream.run(&writer) })
    }
}

/// One open stream: a subscriber filling a queue bounded in bytes, a watch on the key, and
/// the response writer draining the queue. Ends when the client goes, the key is revoked,
/// the client falls ``queueLimit`` bytes behind, or the bus process shuts down.
///
/// Every frame carries the cursor just after it, and a batch that does not fit is neither
/// queued nor counted: the last frame a client received always names exactly what it has.
struct EventStream: Sendable {
    let configuration: SubscriberConfiguration
    let key: String
    let cursor: EventStreamCursor
    /// Ask the heads first and start after them, announcing them as the first id.
    let fromNow: Bool
    let access: BusAccess
    let slots: EventStreamSlots
    let logger: Logger

    /// Bytes of frames a client may have waiting; beyond, the stream ends and the client
    /// resumes from its last id (a slow reader costs itself a reconnect, not the bus its memory).
    static let queueLimit = 4 << 20

    func run(_ writer: inout any ResponseBodyWriter) async throws {
        // Taken here, where it is surely given back, not when the request was checked: a
        // body that never runs (the client went first) must not keep a slot. Refused in the
        // body (200, a comment, `retry:`), since an EventSource gives up on any other status.
        guard slots.take(for: key) else {
            try await writer.write(ServerSentEvent.comment("no free stream for this key or on this bus process; reconnecting later"))
            try await writer.write(ByteBuffer(string: "retry: 5000\n\n"))
            try await writer.finish(nil)
            return
        }
        defer { slots.give(for: key) }
        try await writer.write(ServerSentEvent.retry)
        var configuration = configuration
        var start = cursor
        if fromNow {
            let heads = try await ReplayClient.heads(prefix: configuration.prefix, bus: configuration.endpoints)
            start = EventStreamCursor(positions: heads).within(configuration.prefix)
            configuration.start = .after(start.positions)
            try await writer.write(ServerSentEvent.position(start))
        }
        let outbox = StreamOutbox(start, limit: Self.queueLimit)
        let (frames, queue) = AsyncStream<ByteBuffer>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [configuration, logger] in
                defer { queue.finish() }
                try await BusSubscriber(configuration: configuration, logger: logger).run { batch in
                    // Over the limit: end here, the batch unsent and uncounted.
                    guard let buffer = try outbox.frames(of: batch) else { throw BusSubscriber.StopSubscribing() }
                    queue.yield(buffer)
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
                        queue.yield(ServerSentEvent.comment("alive"))
                    }
                }
                outbox.close()  // revoked: nothing more is written, queued or not
            }
            for await frame in frames {
                guard !outbox.isClosed else { break }
                try await writer.write(frame)
                outbox.written(frame.readableBytes)
            }
            group.cancelAll()
            try? await group.waitForAll()
        }
        try await writer.finish(nil)
    }
}

/// A stream's cursor and the bytes waiting for its client, behind one lock: the subscriber
/// adds frames, the writer takes them away, the key watch closes it.
final class StreamOutbox: Sendable {
    private struct State {
        var cursor: EventStreamCursor
        var queued = 0
        var closed = false
    }

    private let state: Mutex<State>
    private let limit: Int

    init(_ cursor: EventStreamCursor, limit: Int) {
        state = Mutex(State(cursor: cursor))
        self.limit = limit
    }

    /// The frames of `batch`, each with the cursor just after it, counted as waiting; `nil`
    /// (nothing counted, the cursor unmoved) when they would take the client past the limit
    /// — unless nothing waits, so that any batch gets through to a client that reads.
    func frames(of batch: [EventEnvelope]) throws -> ByteBuffer? {
        try state.withLock { state in
            var cursor = state.cursor
            var buffer = ByteBuffer()
            for envelope in batch {
                cursor.advance(topic: envelope.topic.rawValue, to: envelope.seq)
                try ServerSentEvent.append(envelope, cursor: cursor, to: &buffer)
            }
            guard !state.closed, state.queued == 0 || state.queued + buffer.readableBytes <= limit else { return nil }
            state.cursor = cursor
            state.queued += buffer.readableBytes
            return buffer
        }
    }

    func written(_ bytes: Int) { state.withLock { $0.queued = max(0, $0.queued - bytes) } }

    func close() { state.withLock { $0.closed = true } }

    var isClosed: Bool { state.withLock { $0.closed } }
}

/// How many streams this process serves at once: at most ``limit``, and ``perKey`` for one
/// integrator key, so one integrator cannot take them all. Each holds sockets and threads.
final class EventStreamSlots: Sendable {
    let limit: Int
    let perKey: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int, perKey: Int) {
        self.limit = limit
        self.perKey = perKey
    }

    func take(for key: String) -> Bool {
        open.withLock { open in
            guard open.values.reduce(0, +) < limit, open[key, default: 0] < perKey else { return false }
            open[key, default: 0] += 1
            return true
        }
    }

    func give(for key: String) {
        open.withLock { open in
            open[key, default: 1] -= 1
            if open[key] == 0 { open[key] = nil }
        }
    }
}
