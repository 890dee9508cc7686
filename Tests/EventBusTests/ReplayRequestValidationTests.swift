import Foundation
import Models
import Testing

@testable import EventBus

/// The replay endpoint faces the network: nonsense is an error, never a default.
@Suite struct ReplayRequestValidationTests {
    static func decode(_ text: String) throws -> ReplayRequest { try ReplayRequest.decode(Array(text.utf8)) }

    @Test(arguments: [
        #"{"prefix":"test.","after":"x"}"#,
        #"{"topic":"intake.request.created","after":"x"}"#,
        #"{"topic":"intake.request.created","after":-1}"#,
        #"{"topic":"intake.request.created","after":1.5}"#,
        #"{"topic":"intake.request.created","limit":-5}"#,
        #"{"topic":"intake.request.created","limit":"all"}"#,
        #"{"topic":"not a topic"}"#,
        #"{"topic":"intake.request.created","prefix":"intake."}"#,
        #"{"prefix":"intake.","after":{"supplies.lot.expiring":3}}"#,
        #"{"prefix":"intake.","after":{"intake.request.created":true}}"#,
        #"{"prefix":"intake.","shout":1}"#,
        #"{"ping":true,"prefix":"intake."}"#,
        #"{"prefix":"intake.\u0000"}"#,
    ])
    func nonsenseIsRefusedWithAReason(text: String) {
        #expect(throws: ReplayError.self) { try Self.decode(text) }
    }

    @Test func anOversizedAfterMapIsRefused() {
        let positions = (0...ReplayRequest.maximumPositions).map { "\"t.a.\($0)\":1" }.joined(separator: ",")
        #expect(throws: ReplayError.self) { try Self.decode(#"{"prefix":"t.","after":{"# + positions + "}}") }
    }

    @Test func aPingRoundTripsAndReadsNothing() throws {
        #expect(try ReplayRequest.decode(ReplayRequest.ping.encoded()) == .ping)
        #expect(ReplayRequest.ping.readPrefix == nil)
        #expect(try Self.decode(#"{"topic":"intake.request.created","after":4}"#).readPrefix == "intake.request.created")
    }

    @Test func aLargeLimitIsServedAsTheMaximum() throws {
        #expect(try Self.decode(#"{"prefix":"intake.","limit":100000}"#).limit == ReplayRequest.maximumLimit)
    }
}
