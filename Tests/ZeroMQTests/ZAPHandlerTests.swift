import Foundation
import Testing
import ZeroMQ

/// CURVE with a ZAP handler against real libzmq sockets: who gets in, and who they are.
@Suite struct ZAPHandlerTests {
    /// A CURVE ROUTER whose handler allows `allowed` as "alice"; returns what a DEALER with
    /// `client` keys got through, and the user id the ROUTER saw.
    static func roundTrip(allowed: ZMQCurveKeyPair, client: ZMQCurveKeyPair) async throws -> ZMQMessage? {
        let server = try ZMQCurveKeyPair.generate()
        return try await ZMQContext.withContext { context in
            let handler = ZAPHandler()
            let (bound, signal) = AsyncStream<Void>.makeStream()
            return try await withThrowingTaskGroup(of: ZMQMessage?.self) { group in
                group.addTask {
                    try await handler.run(context: context, bound: { signal.yield() }) { request in
                        request.publicKey == allowed.publicKey ? .allow(userId: "alice") : .refuse(reason: "unknown key")
                    }
                    return nil
                }
                for await _ in bound { break }
                let received = try await ZMQOwnerThread.run(name: "test.router") { () -> ZMQMessage? in
                    let router = try ZMQSocket(context, type: .router, lingerMilliseconds: 0)
                    defer { router.close() }
                    try router.setRouterMandatory(true)
                    try router.setSendHighWaterMark(100_000)
                    try router.setMaximumMessageSize(bytes: 4096)
                    try router.setHeartbeat(intervalMilliseconds: 1000, timeoutMilliseconds: 5000)
                    try router.makeCurveServer(secretKey: server.secretKey, zapDomain: "test")
                    try router.setReceiveTimeout(milliseconds: 1500)
                    try router.bind("tcp://127.0.0.1:*")
                    let endpoint = try router.lastEndpoint()
                    let dealer = try ZMQSocket(context, type: .dealer, lingerMilliseconds: 0)
                    defer { dealer.close() }
                    try dealer.makeCurveClient(serverKey: server.publicKey, keys: client)
                    try dealer.connect(endpoint)
                    try dealer.send([[], Array("hello".utf8)])
                    // Poll first, as the bus does: libzmq then prefetches the message.
                    guard try ZMQPoller.pollInput([router], timeoutMilliseconds: 1500)[0] else { return nil }
                    return try router.receiveMessage()
                }
                handler.stop()
                try await group.waitForAll()
                return received
            }
        }
    }

    @Test func anAllowedKeyGetsInWithItsUserIdOnEveryMessage() async throws {
        let alice = try ZMQCurveKeyPair.generate()
        let message = try #require(try await Self.roundTrip(allowed: alice, client: alice))
        #expect(message.userId == "alice")
        #expect(message.frames.last == Array("hello".utf8))
    }

    @Test func anUnknownKeyGetsNothingThrough() async throws {
        let message = try await Self.roundTrip(allowed: try ZMQCurveKeyPair.generate(), client: try ZMQCurveKeyPair.generate())
        #expect(message == nil)
    }

    @Test func keyPairsRoundTripThroughTheirSecretHalf() throws {
        let pair = try ZMQCurveKeyPair.generate()
        #expect(try ZMQCurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(ZMQCurveKeyPair.isKeyText(pair.publicKey))
        #expect(!ZMQCurveKeyPair.isKeyText("short"))
        #expect(throws: ZMQError.self) { try ZMQCurveKeyPair(secretKey: String(repeating: "~", count: 40)) }
    }
}
