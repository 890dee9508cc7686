import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ports nobody listens on, for tests and benchmarks that run private buses side by side.
///
/// They come from just below the kernel's ephemeral range (`ip_local_port_range`, 32768–60999
/// by default), never from inside it: a port the kernel hands out and takes back is handed
/// again to the next outgoing connection — a database client, curl, a ZeroMQ connect — and a
/// server started on it a moment later fails with "Address already in use" (a bus in a
/// fresh-clone CI run, 2026-12-01). Below the range only listeners take ports, and each is
/// checked free by binding it; successive calls in one process walk the range from a random
/// start, so they never repeat one another.
public enum LoopbackPort {
    /// The ports handed out: the 12,000 below the ephemeral range.
    static let candidates: Range<Int> = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let low = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        let top = max(low, 2_048)
        return max(1_024, top - 12_000)..<top
    }()
    private static let cursor = Atomic<Int>(Int.random(in: 0..<12_000))

    /// A TCP port on 127.0.0.1 that nothing listens on now, below the ephemeral range.
    public static func free() -> Int {
        for _ in 0..<candidates.count {
            let step = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
            let port = candidates.lowerBound + (step % candidates.count + candidates.count) % candidates.count
            if isFree(port) { return port }
        }
        preconditionFailure("no free port on 127.0.0.1 in \(candidates)")
    }

    /// Whether a listener could bind `port` on 127.0.0.1 now.
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed")
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Three endpoints for a private bus: publish, subscribe, replay.
    public static func busEndpoints() -> (publish: String, subscribe: String, replay: String) {
        ("tcp://127.0.0.1:\(free())", "tcp://127.0.0.1:\(free())", "tcp://127.0.0.1:\(free())")
    }
}
