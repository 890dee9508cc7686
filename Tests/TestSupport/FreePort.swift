import ServiceKit

/// Ports for a test's private bus and services.
public enum FreePort {
    public static func next() -> Int { LoopbackPort.free() }
    public static func busEndpoints() -> (publish: String, subscribe: String, replay: String) { LoopbackPort.busEndpoints() }
}
