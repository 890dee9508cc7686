import Foundation
import ServiceKit
import ZeroMQ

/// libzmq alone, PUB→SUB over loopback TCP: the ceiling any bus built on it sits under.
enum RawZeroMQBenchmark {
    static let envelopeSize = 260

    /// Messages per second received by a subscriber from a publisher on another thread.
    static func run(messages: Int) async throws -> Double {
        let context = try ZMQContext(ioThreads: 1)
        defer { context.terminate() }
        let port = LoopbackPort.free()
        let endpoint = "tcp://127.0.0.1:\(port)"
        let topic = Array("bench.request.created".utf8)
        let envelope = [UInt8](repeating: UInt8(ascii: "x"), count: envelopeSize)
        return try await withThrowingTaskGroup(of: Double.self) { group in
            group.addTask {
                try await ZMQOwnerThread.run(name: "bench.sub") {
                    let socket = try ZMQSocket(context, type: .subscriber, lingerMilliseconds: 0)
                    defer { socket.close() }
                    try socket.setReceiveHighWaterMark(0)
                    try socket.subscribe("")
                    try socket.connect(endpoint)
                    _ = try socket.receive()  // the first arrival starts the clock
                    let start = ContinuousClock.now
                    for _ in 1..<messages { _ = try socket.receive() }
                    let elapsed = ContinuousClock.now - start
                    let (whole, atto) = elapsed.components
                    return Double(messages - 1) / (Double(whole) + Double(atto) / 1e18)
                }
            }
            group.addTask {
                try await ZMQOwnerThread.run(name: "bench.pub") {
                    let socket = try ZMQSocket(context, type: .publisher, lingerMilliseconds: 5000)
                    defer { socket.close() }
                    try socket.setSendHighWaterMark(0)
                    try socket.bind(endpoint)
                    Thread.sleep(forTimeInterval: 0.3)  // slow joiner: let the subscription arrive
                    for _ in 0..<messages { try socket.send([topic, envelope]) }
                    return 0
                }
            }
            var rate = 0.0
            for try await value in group { rate = max(rate, value) }
            return rate
        }
    }
}
