import CZeroMQ

/// libzmq's built-in forwarder between two sockets of the calling thread.
public enum ZMQProxy {
    /// Forwards messages both ways between `frontend` and `backend` until the context is
    /// shut down. Returns normally on `ETERM`; any other failure is thrown.
    public static func run(frontend: ZMQSocket, backend: ZMQSocket) throws(ZMQError) {
        let front = try frontend.open("proxy")
        let back = try backend.open("proxy")
        while zmq_proxy(front, back, nil) != 0 {
            let error = ZMQError.last("proxy")
            if error.isTerminated { return }
            if error.code != EINTR { throw error }
        }
    }
}
