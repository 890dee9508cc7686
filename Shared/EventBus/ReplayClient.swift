import ZeroMQ

/// One-shot requests to the replay endpoint, for readiness checks and operators' tools.
///
/// Each call opens a DEALER on a thread of its own and closes it before returning; the
/// long-lived ``BusSubscriber`` keeps its own socket instead.
public enum ReplayClient {
    /// Sends `request` and waits up to `timeoutMilliseconds` for the whole reply.
    public static func fetch(
        _ request: ReplayRequest, endpoint: String, timeoutMilliseconds: Int32 = 2000
    ) async throws -> ReplayPage {
        let frames = try await ZMQContext.withContext { context in
            try await ZMQOwnerThread.run(name: "bus.replay-client") { () throws -> ZMQFrames? in
                let socket = try ZMQSocket(context, type: .dealer, lingerMilliseconds: 0)
                defer { socket.close() }
                try socket.setReceiveTimeout(milliseconds: timeoutMilliseconds)
                try socket.setSendTimeout(milliseconds: timeoutMilliseconds)
                try socket.connect(endpoint)
                guard try socket.send([[], request.encoded()]) else { return nil }
                return try socket.receive()
            }
        }
        guard let frames, frames.first?.isEmpty == true else {
            throw ReplayError("no reply from the bus replay endpoint \(endpoint) within \(timeoutMilliseconds) ms: is shouwang-bus running?")
        }
        return try ReplayPage.decode(Array(frames.dropFirst()))
    }

    /// The current head of every topic under `prefix` (an empty prefix: every topic).
    public static func heads(prefix: String, endpoint: String, timeoutMilliseconds: Int32 = 2000) async throws -> [String: Int64] {
        try await fetch(ReplayRequest(.prefix(prefix, after: [:]), limit: 0), endpoint: endpoint, timeoutMilliseconds: timeoutMilliseconds).heads
    }
}
