import CZeroMQ
import Synchronization

/// The ZAP handler of one context: answers every CURVE handshake on that context's
/// server sockets with `decide`.
///
/// It fails closed: it is bound before any server socket binds (``run(context:bound:decide:)``
/// reports when), and a process whose handler thread ends must stop its server sockets
/// too, since on libzmq 4.3 a ZAP domain with no handler behind it lets every key in.
///
/// Ownership: the REP socket lives on the thread `run` starts; `decide` runs there, so it
/// must be quick and must not block (read a snapshot, never the database).
public final class ZAPHandler: Sendable {
    /// The fixed address libzmq sends ZAP requests to (RFC 27).
    public static let endpoint = "inproc://zeromq.zap.01"

    private let stopping = Atomic<Bool>(false)

    public init() {}

    /// Binds the handler, calls `bound` once it is listening, then answers until ``stop()``
    /// or the context shuts down.
    public func run(
        context: ZMQContext, bound: @escaping @Sendable () -> Void, decide: @escaping @Sendable (ZAPRequest) -> ZAPDecision
    ) async throws {
        try await ZMQOwnerThread.run(name: "bus.zap") { try self.serve(context: context, bound: bound, decide: decide) }
    }

    /// Ends the handler at its next poll (within 100 ms).
    public func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    private func serve(
        context: ZMQContext, bound: @Sendable () -> Void, decide: @Sendable (ZAPRequest) -> ZAPDecision
    ) throws {
        let socket = try ZMQSocket(context, type: .reply, lingerMilliseconds: 0)
        defer { socket.close() }
        try socket.bind(Self.endpoint)
        bound()
        do {
            while !stopping.load(ordering: .relaxed) {
                guard try ZMQPoller.pollInput([socket], timeoutMilliseconds: 100)[0] else { continue }
                guard let frames = try socket.receive(wait: false) else { continue }
                if let request = ZAPRequest(frames: frames) {
                    try socket.send(decide(request).replyFrames(to: request))
                } else {
                    // A REP socket must answer before it can read again; this is not a ZAP peer.
                    try socket.send([
                        Array("1.0".utf8), frames.count > 1 ? frames[1] : [], Array("500".utf8), Array("malformed ZAP request".utf8), [],
                        [],
                    ])
                }
            }
        } catch {
            if error.isTerminated { return }
            throw error
        }
    }
}
