import CZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// A multipart message: one `[UInt8]` per frame.
public typealias ZMQFrames = [[UInt8]]

/// A received message and who sent it.
public struct ZMQMessage: Sendable {
    public var frames: ZMQFrames
    /// The user id the ZAP handler answered for the sender's key; `nil` on sockets without
    /// authentication.
    public var userId: String?
}

/// A libzmq socket with one owner thread.
///
/// Ownership rule: libzmq sockets are not thread-safe. A `ZMQSocket` is created on the
/// thread that will use it (usually inside ``ZMQOwnerThread/run(name:_:)``), every call
/// checks that it is made on that thread (a violation stops the process: it is a bug, not
/// a condition to handle), and it is closed exactly once, on that thread, by ``close()`` or
/// `deinit`. The type is deliberately not `Sendable`, so the compiler refuses to hand it to
/// another task. Messages cross to async code as values (``ZMQFrames``), never the socket.
public final class ZMQSocket {
    public let type: ZMQSocketType
    private var handle: UnsafeMutableRawPointer?
    private let context: ZMQContext  // kept alive: the context terminates after its sockets
    private let owner: pthread_t
    /// Receive buffer at a stable address, initialised and closed once per frame.
    private let frame: UnsafeMutablePointer<zmq_msg_t>

    /// Opens a socket of `type` on `context`, owned by the calling thread.
    ///
    /// Every socket starts with a bounded linger (`lingerMilliseconds`), so closing it never
    /// waits forever for a peer that is gone.
    public init(_ context: ZMQContext, type: ZMQSocketType, lingerMilliseconds: Int32 = 200) throws(ZMQError) {
        guard let socket = zmq_socket(try context.pointer, type.rawValue) else {
            throw ZMQError.last("open \(type) socket")
        }
        self.type = type
        self.handle = socket
        self.context = context
        self.owner = pthread_self()
        self.frame = .allocate(capacity: 1)
        try setOption(ZMQ_LINGER, lingerMilliseconds, name: "linger")
    }

    deinit {
        close()
        frame.deallocate()
    }

    /// Whether ``close()`` has run.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket (pending messages wait at most the linger). Idempotent.
    public func close() {
        guard let socket = handle else { return }
        checkOwner()
        zmq_close(socket)
        handle = nil
    }

    // MARK: Endpoints

    /// Binds to `endpoint`, e.g. `tcp://127.0.0.1:5550` or `tcp://127.0.0.1:*`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        let socket = try open("bind \(endpoint)")
        guard zmq_bind(socket, endpoint) == 0 else { throw ZMQError.last("bind \(endpoint)") }
    }

    /// Connects to `endpoint`; libzmq reconnects on its own when the peer comes back.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let socket = try open("connect \(endpoint)")
        guard zmq_connect(socket, endpoint) == 0 else { throw ZMQError.last("connect \(endpoint)") }
    }

    /// The endpoint of the last bind, with the port the system chose for `*`.
    public func lastEndpoint() throws(ZMQError) -> String {
        let socket = try open("read last endpoint")
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        guard zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError.last("read last endpoint")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Sending and receiving

    /// Sends all frames as one message.
    ///
    /// - Parameter wait: when `false`, returns `false` instead of blocking if the message
    ///   cannot be queued now (high-water mark reached, or no peer for ROUTER/DEALER).
    /// - Returns: `true` when the whole message was queued.
    @discardableResult
    public func send(_ frames: ZMQFrames, wait: Bool = true) throws(ZMQError) -> Bool {
        let socket = try open("send")
        precondition(!frames.isEmpty, "a ZeroMQ message has at least one frame")
        for (index, part) in frames.enumerated() {
            var flags: Int32 = wait ? 0 : ZMQ_DONTWAIT
            if index < frames.count - 1 { flags |= ZMQ_SNDMORE }
            while true {
                let sent = part.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
                if sent >= 0 { break }
                let error = ZMQError.last("send")
                if error.code == EINTR { continue }
                // libzmq accepts the rest of a multipart message once the first frame is in.
                if error.isTimeout && index == 0 { return false }
                throw error
            }
        }
        return true
    }

    /// Receives one whole message.
    ///
    /// - Parameter wait: when `false`, returns `nil` at once if nothing is queued.
    /// - Returns: the frames, or `nil` when nothing arrived (non-blocking, or `ZMQ_RCVTIMEO`).
    public func receive(wait: Bool = true) throws(ZMQError) -> ZMQFrames? {
        try receiveMessage(wait: wait)?.frames
    }

    /// Receives one whole message with the user id the ZAP handler gave its sender.
    ///
    /// - Parameter wait: when `false`, returns `nil` at once if nothing is queued.
    public func receiveMessage(wait: Bool = true) throws(ZMQError) -> ZMQMessage? {
        let socket = try open("receive")
        var frames: ZMQFrames = []
        var userId: String?
        var more = false
        repeat {
            zmq_msg_init(frame)
            defer { zmq_msg_close(frame) }
            while zmq_msg_recv(frame, socket, (wait || !frames.isEmpty) ? 0 : ZMQ_DONTWAIT) < 0 {
                let error = ZMQError.last("receive")
                if error.code == EINTR { continue }
                if error.isTimeout && frames.isEmpty { return nil }
                throw error
            }
            // Read before the part is closed. Not every part carries it: a ROUTER that
            // prefetched a message while polling (libzmq 4.3.4) hands out the routing-id
            // part without the sender's properties, so look further.
            if userId == nil, let property = zmq_msg_gets(frame, "User-Id") {
                userId = String(cString: property)
            }
            let size = zmq_msg_size(frame)
            let bytes = zmq_msg_data(frame)
            frames.append(size == 0 ? [] : [UInt8](UnsafeRawBufferPointer(start: bytes, count: size)))
            more = zmq_msg_more(frame) == 1  // read before the part is closed
        } while more
        return ZMQMessage(frames: frames, userId: userId)
    }

    // MARK: Internals shared with options and polling

    /// The raw handle after the owner check; `ENOTSOCK` once closed.
    func open(_ operation: @autoclosure () -> String) throws(ZMQError) -> UnsafeMutableRawPointer {
        checkOwner()
        guard let socket = handle else { throw ZMQError(code: ENOTSOCK, operation: operation()) }
        return socket
    }

    private func checkOwner() {
        precondition(
            pthread_equal(owner, pthread_self()) != 0,
            "ZeroMQ \(type) socket used off its owner thread: sockets belong to the thread that opened them"
        )
    }

    func setOption(_ option: Int32, _ value: Int32, name: String) throws(ZMQError) {
        let socket = try open("set \(name)")
        var value = value
        guard zmq_setsockopt(socket, option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("set \(name)")
        }
    }

    func setOption(_ option: Int32, int64 value: Int64, name: String) throws(ZMQError) {
        let socket = try open("set \(name)")
        var value = value
        guard zmq_setsockopt(socket, option, &value, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError.last("set \(name)")
        }
    }

    func setOption(_ option: Int32, bytes: [UInt8], name: String) throws(ZMQError) {
        let socket = try open("set \(name)")
        let status = bytes.withUnsafeBytes { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
        guard status == 0 else { throw ZMQError.last("set \(name)") }
    }
}
