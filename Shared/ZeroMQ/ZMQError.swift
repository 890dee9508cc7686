import CZeroMQ

/// An error reported by libzmq, carrying its errno and its own message so an operator reads
/// what ZeroMQ said rather than a number.
public struct ZMQError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The errno value libzmq reported (`EAGAIN`, `ETERM`, `ENOTSOCK`…).
    public let code: Int32
    /// What the wrapper was doing when libzmq failed, e.g. `"bind tcp://127.0.0.1:5550"`.
    public let operation: String
    /// libzmq's own text for ``code`` (`zmq_strerror`).
    public var message: String { String(cString: zmq_strerror(code)) }

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// Reads `zmq_errno()` right after a failed call.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        ZMQError(code: zmq_errno(), operation: operation())
    }

    /// The context was shut down or terminated: the owner closes its socket and leaves.
    public var isTerminated: Bool { code == ETERM }
    /// A non-blocking call had nothing to do, or a timeout elapsed.
    public var isTimeout: Bool { code == EAGAIN }
    /// The socket was already closed: a programming error in the owner.
    public var isClosedSocket: Bool { code == ENOTSOCK }

    public var description: String { "ZeroMQ \(operation) failed: \(message) (errno \(code))" }
}
