import Testing

@testable import EventBus

/// Who may publish and read what, decided without sockets.
@Suite struct BusKeyGrantTests {
    static let key = String(repeating: "a", count: 40)

    @Test func aPublisherPublishesOnlyItsStreamAndReadsNothing() {
        let relay = BusKeyGrant(name: "intake-relay", publicKey: Self.key, role: .publisher, stream: "intake", prefixes: [])
        #expect(relay.mayPublish(topic: Array("intake.request.cancelled".utf8)))
        #expect(!relay.mayPublish(topic: Array("matching.task.completed".utf8)))
        #expect(!relay.mayPublish(topic: Array("intake2.request.cancelled".utf8)), "a stream name is a whole segment")
        #expect(!relay.mayPublish(topic: Array("intake".utf8)))
        #expect(!relay.mayRead(prefix: "intake."))
    }

    @Test func anIntegratorReadsItsGrantsAndNothingWiderAndNeverPublishes() {
        let dashboard = BusKeyGrant(
            name: "health-board", publicKey: Self.key, role: .integrator, stream: nil, prefixes: ["intake.testing."])
        #expect(dashboard.mayRead(prefix: "intake.testing."))
        #expect(dashboard.mayRead(prefix: "intake.testing.checkin.recorded"))
        #expect(!dashboard.mayRead(prefix: "intake."), "a shorter prefix would reach more than granted")
        #expect(!dashboard.mayRead(prefix: ""))
        #expect(!dashboard.mayRead(prefix: "outreach.resident.registered"))
        #expect(!dashboard.mayPublish(topic: Array("intake.testing.checkin.recorded".utf8)))
    }

    @Test func aServicePublishesItsStreamAndReadsWhatItWasGranted() {
        let matching = BusKeyGrant(name: "matching", publicKey: Self.key, role: .service, stream: "matching", prefixes: [""])
        #expect(matching.mayPublish(topic: Array("matching.task.completed".utf8)))
        #expect(!matching.mayPublish(topic: Array("intake.volunteer.suspended".utf8)))
        #expect(matching.mayRead(prefix: ""))
        #expect(matching.mayRead(prefix: "intake."))
    }

    @Test func aRingFindsKeysByNameAndPublicKeyAndSeesWhatWasWithdrawn() {
        let a = BusKeyGrant(name: "a", publicKey: String(repeating: "a", count: 40), role: .service, stream: "a", prefixes: [""])
        let b = BusKeyGrant(name: "b", publicKey: String(repeating: "b", count: 40), role: .integrator, stream: nil, prefixes: ["a."])
        let ring = BusKeyRing([a, b])
        #expect(ring[name: "a"] == a)
        #expect(ring[publicKey: b.publicKey] == b)
        #expect(ring[name: nil] == nil)
        #expect(ring[publicKey: String(repeating: "c", count: 40)] == nil)
        #expect(ring.withdrawn(in: BusKeyRing([a])) == ["b"])
        var narrowed = b
        narrowed.prefixes = ["a.x."]
        #expect(ring.withdrawn(in: BusKeyRing([a, narrowed])) == ["b"], "a changed grant cuts the old connections too")
        #expect(ring.withdrawn(in: ring).isEmpty)
    }

    @Test(arguments: [
        BusKeyGrant(name: "Bad Name", publicKey: key, role: .service, stream: "intake", prefixes: [""]),
        BusKeyGrant(name: "short-key", publicKey: "abc", role: .service, stream: "intake", prefixes: [""]),
        BusKeyGrant(name: "no-stream", publicKey: key, role: .publisher, stream: nil, prefixes: []),
        BusKeyGrant(name: "reads", publicKey: key, role: .publisher, stream: "intake", prefixes: ["intake."]),
        BusKeyGrant(name: "publishes", publicKey: key, role: .integrator, stream: "intake", prefixes: ["intake."]),
        BusKeyGrant(name: "reads-nothing", publicKey: key, role: .integrator, stream: nil, prefixes: []),
        BusKeyGrant(name: "spaces", publicKey: key, role: .integrator, stream: nil, prefixes: ["intake. x"]),
        BusKeyGrant(name: "no-dot", publicKey: key, role: .integrator, stream: nil, prefixes: ["intake"]),
        BusKeyGrant(name: "service-reads-nothing", publicKey: key, role: .service, stream: "intake", prefixes: []),
    ])
    func grantsThatMakeNoSenseAreRefusedBeforeTheyAreStored(grant: BusKeyGrant) {
        #expect(throws: BusKeyError.self) { try BusKeyStore.check(grant) }
    }
}
