import Foundation
import Testing
import ZeroMQ

/// The wrapper against real libzmq sockets over loopback TCP.
@Suite struct ZeroMQTests {
    @Test func pubSubCarriesMultipartMessagesToMatchingSubscribersOnly() async throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let received = try await ZMQOwnerThread.run(name: "test") { () -> [ZMQFrames] in
            let publisher = try ZMQSocket(context, type: .publisher, lingerMilliseconds: 0)
            defer { publisher.close() }
            try publisher.bind("tcp://127.0.0.1:*")
            let subscriber = try ZMQSocket(context, type: .subscriber, lingerMilliseconds: 0)
            defer { subscriber.close() }
            try subscriber.setReceiveTimeout(milliseconds: 100)
            try subscriber.subscribe("intake.")
            try subscriber.connect(try publisher.lastEndpoint())
            var got: [ZMQFrames] = []
            // PUB drops until the subscription has reached it (slow joiner): repeat until seen.
            for attempt in 0..<100 where got.isEmpty {
                try publisher.send([Array("intake2.x.y".utf8), Array("wrong".utf8)])
                try publisher.send([Array("intake.request.created".utf8), Array("{\"n\":\(attempt)}".utf8), []])
                while let frames = try subscriber.receive() { got.append(frames) }
            }
            return got
        }
        #expect(!received.isEmpty)
        for frames in received {
            #expect(frames.count == 3)
            #expect(String(decoding: frames[0], as: UTF8.self) == "intake.request.created")
            #expect(frames[2].isEmpty)
        }
    }

    @Test func routerAndDealerRoundTripWithTheRoutingEnvelope() async throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let reply = try await ZMQOwnerThread.run(name: "test") { () -> ZMQFrames? in
            let router = try ZMQSocket(context, type: .router, lingerMilliseconds: 0)
            defer { router.close() }
            try router.setRouterMandatory(true)
            try router.bind("tcp://127.0.0.1:*")
            let dealer = try ZMQSocket(context, type: .dealer, lingerMilliseconds: 0)
            defer { dealer.close() }
            try dealer.setReceiveTimeout(milliseconds: 5000)
            try dealer.connect(try router.lastEndpoint())
            try dealer.send([[], Array("ping".utf8)])
            try router.setReceiveTimeout(milliseconds: 5000)
            guard let request = try router.receive(), request.count == 3 else { return nil }
            #expect(request[1].isEmpty)
            #expect(String(decoding: request[2], as: UTF8.self) == "ping")
            try router.send([request[0], [], Array("pong".utf8), Array("more".utf8)])
            return try dealer.receive()
        }
        #expect(reply == [[], Array("pong".utf8), Array("more".utf8)])
    }

    @Test func pollTimesOutWhenNothingArrivesAndReportsReadySockets() async throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let (idle, ready, waited) = try await ZMQOwnerThread.run(name: "test") { () -> ([Bool], [Bool], Duration) in
            let a = try ZMQSocket(context, type: .pair, lingerMilliseconds: 0)
            defer { a.close() }
            let b = try ZMQSocket(context, type: .pair, lingerMilliseconds: 0)
            defer { b.close() }
            try a.bind("inproc://poll-test")
            try b.connect("inproc://poll-test")
            let start = ContinuousClock.now
            let idle = try ZMQPoller.pollInput([a, b], timeoutMilliseconds: 100)
            let waited = ContinuousClock.now - start
            try a.send([Array("x".utf8)])
            let ready = try ZMQPoller.pollInput([a, b], timeoutMilliseconds: 5000)
            return (idle, ready, waited)
        }
        #expect(idle == [false, false])
        #expect(waited >= .milliseconds(90))
        #expect(ready == [false, true])
    }

    @Test func receiveWithoutWaitingReturnsNilWhenNothingIsQueued() async throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let result = try await ZMQOwnerThread.run(name: "test") { () -> ZMQFrames? in
            let socket = try ZMQSocket(context, type: .pair, lingerMilliseconds: 0)
            defer { socket.close() }
            try socket.bind("inproc://empty")
            return try socket.receive(wait: false)
        }
        #expect(result == nil)
    }

    @Test func aClosedSocketFailsWithZeroMQsNotASocketError() async throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let error = try await ZMQOwnerThread.run(name: "test") { () -> ZMQError? in
            let socket = try ZMQSocket(context, type: .dealer)
            socket.close()
            socket.close()  // idempotent
            do {
                try socket.send([Array("late".utf8)])
                return nil
            } catch {
                return error as? ZMQError
            }
        }
        #expect(error?.isClosedSocket == true)
        #expect(error?.description.contains("Socket operation on non-socket") == true)
    }

    @Test func bindingAnInvalidEndpointReportsZeroMQsMessage() async throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let error = try await ZMQOwnerThread.run(name: "test") { () -> ZMQError? in
            let socket = try ZMQSocket(context, type: .publisher, lingerMilliseconds: 0)
            defer { socket.close() }
            do {
                try socket.bind("nonsense://here")
                return nil
            } catch {
                return error as? ZMQError
            }
        }
        #expect(error?.operation == "bind nonsense://here")
        #expect(error?.message.isEmpty == false)
    }

    @Test func shutdownEndsABlockedReceiveAndTheContextTerminates() async throws {
        let context = try ZMQContext()
        let started = ContinuousClock.now
        async let outcome = ZMQOwnerThread.run(name: "blocked") { () -> Bool in
            let socket = try ZMQSocket(context, type: .subscriber, lingerMilliseconds: 100)
            defer { socket.close() }
            try socket.connect("tcp://127.0.0.1:9")  // nobody there: receive blocks forever
            do {
                _ = try socket.receive()
                return false
            } catch {
                return (error as? ZMQError)?.isTerminated == true
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        context.shutdown()
        #expect(try await outcome)
        context.terminate()  // would hang if a socket were left open
        // A guard against a hang, not a timing: a loaded CI machine once needed 11.8 s here.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func proxyForwardsFromExtendedSubscriberToExtendedPublisher() async throws {
        let context = try ZMQContext()
        defer { context.terminate() }
        let front = "inproc://front-\(UUID().uuidString)"
        let back = "inproc://back-\(UUID().uuidString)"
        let bound = AsyncStream<Void>.makeStream()
        async let proxy: Void = ZMQOwnerThread.run(name: "proxy") {
            let frontend = try ZMQSocket(context, type: .extendedSubscriber, lingerMilliseconds: 0)
            defer { frontend.close() }
            let backend = try ZMQSocket(context, type: .extendedPublisher, lingerMilliseconds: 0)
            defer { backend.close() }
            try frontend.bind(front)
            try backend.bind(back)
            bound.continuation.finish()
            try ZMQProxy.run(frontend: frontend, backend: backend)
        }
        for await _ in bound.stream {}
        let got = try await ZMQOwnerThread.run(name: "peers") { () -> ZMQFrames? in
            let publisher = try ZMQSocket(context, type: .publisher, lingerMilliseconds: 0)
            defer { publisher.close() }
            try publisher.connect(front)
            let subscriber = try ZMQSocket(context, type: .subscriber, lingerMilliseconds: 0)
            defer { subscriber.close() }
            try subscriber.subscribe("")
            try subscriber.setReceiveTimeout(milliseconds: 50)
            try subscriber.connect(back)
            for _ in 0..<200 {
                try publisher.send([Array("t.a.b".utf8), Array("hello".utf8)])
                if let frames = try subscriber.receive() { return frames }
            }
            return nil
        }
        context.shutdown()
        try await proxy
        #expect(got == [Array("t.a.b".utf8), Array("hello".utf8)])
    }
}
