import CZeroMQ

/// The socket options the bus uses, with the units in their names.
/// Int options are passed as C `int`; byte options with their exact length.
extension ZMQSocket {
    /// How long `close()` may wait to flush queued messages.
    public func setLinger(milliseconds: Int32) throws(ZMQError) {
        try setOption(ZMQ_LINGER, milliseconds, name: "linger")
    }

    /// Messages queued per peer before sending blocks (or drops, for PUB). 0 = unlimited.
    public func setSendHighWaterMark(_ messages: Int32) throws(ZMQError) {
        try setOption(ZMQ_SNDHWM, messages, name: "send high-water mark")
    }

    /// Messages queued per peer on receipt before libzmq stops reading. 0 = unlimited.
    public func setReceiveHighWaterMark(_ messages: Int32) throws(ZMQError) {
        try setOption(ZMQ_RCVHWM, messages, name: "receive high-water mark")
    }

    /// SUB: receive messages whose first frame starts with `prefix`.
    public func subscribe(_ prefix: String) throws(ZMQError) {
        try setOption(ZMQ_SUBSCRIBE, bytes: Array(prefix.utf8), name: "subscribe")
    }

    /// SUB: stop receiving `prefix`.
    public func unsubscribe(_ prefix: String) throws(ZMQError) {
        try setOption(ZMQ_UNSUBSCRIBE, bytes: Array(prefix.utf8), name: "unsubscribe")
    }

    /// ZMTP heartbeats: ping every `interval`, drop the connection after `timeout` of silence.
    public func setHeartbeat(intervalMilliseconds: Int32, timeoutMilliseconds: Int32) throws(ZMQError) {
        try setOption(ZMQ_HEARTBEAT_IVL, intervalMilliseconds, name: "heartbeat interval")
        try setOption(ZMQ_HEARTBEAT_TIMEOUT, timeoutMilliseconds, name: "heartbeat timeout")
        try setOption(ZMQ_HEARTBEAT_TTL, timeoutMilliseconds, name: "heartbeat ttl")
    }

    /// Reconnect after `initial` ms, backing off to at most `maximum` ms.
    public func setReconnect(initialMilliseconds: Int32, maximumMilliseconds: Int32) throws(ZMQError) {
        try setOption(ZMQ_RECONNECT_IVL, initialMilliseconds, name: "reconnect interval")
        try setOption(ZMQ_RECONNECT_IVL_MAX, maximumMilliseconds, name: "reconnect interval max")
    }

    /// Queue messages only to completed connections (request sockets).
    public func setImmediate(_ on: Bool) throws(ZMQError) {
        try setOption(ZMQ_IMMEDIATE, on ? 1 : 0, name: "immediate")
    }

    /// ROUTER: fail with `EHOSTUNREACH` instead of silently dropping a reply to a gone peer.
    public func setRouterMandatory(_ on: Bool) throws(ZMQError) {
        try setOption(ZMQ_ROUTER_MANDATORY, on ? 1 : 0, name: "router mandatory")
    }

    /// `receive()` returns `nil` after this long. -1 waits forever.
    public func setReceiveTimeout(milliseconds: Int32) throws(ZMQError) {
        try setOption(ZMQ_RCVTIMEO, milliseconds, name: "receive timeout")
    }

    /// A blocking `send()` gives up after this long. -1 waits forever.
    public func setSendTimeout(milliseconds: Int32) throws(ZMQError) {
        try setOption(ZMQ_SNDTIMEO, milliseconds, name: "send timeout")
    }
}
