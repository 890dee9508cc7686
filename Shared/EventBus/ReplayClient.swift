import ZeroMQ

/// One-shot requests to the replay endpoint, for readiness checks and operators' tools.
///
/// Each call opens a DEALER on a thread of its own and closes it before returning; the
/// long-lived ``BusSubscriber`` keeps its own socket instead.
public enum ReplayClient {
    /// Sends `request` to `bus`'s replay endpoint and waits up to `timeoutMilliseconds` for
    /// the whole reply.
    public static func fetch(
        _ request: ReplayRequest, bus: BusEndpoints, timeoutMilliseconds: Int32 = 2000
    ) async throws -> ReplayPage {
        let endpoint = bus.replay
        let frames = try await ZMQContext.withContext { context in
            try await ZMQOwnerThread.run(name: "bus.replay-client") { () throws -> ZMQFrames? in
                let socket = try ZMQSocket(context, type: .dealer, lingerMilliseconds: 0)
                defer { socket.close() }
                try socket.setReceiveTimeout(milliseconds: timeoutMilliseconds)
                try socket.setSendTimeout(milliseconds: timeoutMilliseconds)
                try socket.authenticate(with: bus.credentials)
                try socket.connect(endpoint)
                guard try socket.send([[], request.encoded()]) else { return nil }
                return try socket.receive()
            }
        }
        guard let frames, frames.first?.isEmpty == true else {
            let hint =
                bus.credentials == nil
                ? "is shouwang-bus running, and does it run without CURVE? (this client has no bus key: set SHOUWANG_BUS_SECRET_KEY_FILE)"
                : "is shouwang-bus running, is SHOUWANG_BUS_SERVER_KEY its public key, and is this client's key registered and not revoked (shouwang keys list)?"
            throw ReplayError("no reply from the bus replay endpoint \(endpoint) within \(timeoutMilliseconds) ms: \(hint)")
        }
        return try ReplayPage.decode(Array(frames.dropFirst()))
    }

    /// Asks the bus whether it is there and accepts this client's key, without touching
    /// the event store or waiting in its replay queue.
    public static func ping(bus: BusEndpoints, timeoutMilliseconds: Int32 = 1000) async throws {
        _ = try await fetch(.ping, bus: bus, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The current head of every topic under `prefix` (an empty prefix: every topic).
    public static func heads(prefix: String, bus: BusEndpoints, timeoutMilliseconds: Int32 = 2000) async throws -> [String: Int64] {
        try await fetch(ReplayRequest(.prefix(prefix, after: [:]), limit: 0), bus: bus, timeoutMilliseconds: timeoutMilliseconds).heads
    }
}
