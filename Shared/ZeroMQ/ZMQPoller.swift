import CZeroMQ

/// Waits until any of a thread's own sockets can be read.
///
/// Polling only involves sockets of the calling thread, so the ownership rule holds.
public enum ZMQPoller {
    /// Waits up to `timeoutMilliseconds` (-1: forever) for input on `sockets`.
    ///
    /// - Returns: for each socket, whether a message is ready to receive; all `false` on timeout.
    public static func pollInput(_ sockets: [ZMQSocket], timeoutMilliseconds: Int) throws(ZMQError) -> [Bool] {
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sockets.count)
        for socket in sockets {
            items.append(zmq_pollitem_t(socket: try socket.open("poll"), fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        while zmq_poll(&items, Int32(items.count), timeoutMilliseconds) < 0 {
            let error = ZMQError.last("poll")
            if error.code != EINTR { throw error }
        }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
