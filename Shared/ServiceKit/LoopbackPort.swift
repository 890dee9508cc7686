#if canImport(Glibc)
    import Glibc
#endif

/// Ports nobody listens on, for tests and benchmarks that run private buses side by side.
public enum LoopbackPort {
    /// A TCP port on 127.0.0.1 that the kernel just handed out and released.
    public static func free() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        precondition(bound, "could not bind an ephemeral port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Three endpoints for a private bus: publish, subscribe, replay.
    public static func busEndpoints() -> (publish: String, subscribe: String, replay: String) {
        ("tcp://127.0.0.1:\(free())", "tcp://127.0.0.1:\(free())", "tcp://127.0.0.1:\(free())")
    }
}
