import Foundation
import Testing

@testable import ServiceKit

/// The strict scan of request bodies (``JSONBodyCheck``) and the idempotency key's limits
/// and namespaces: what issue 14 found answered 500 or mixed up.
@Suite struct RequestBodyTests {
    static func finding(_ text: String) -> JSONBodyCheck.Finding? {
        JSONBodyCheck.finding(in: Array(text.utf8))
    }

    @Test func ordinaryBodiesPass() {
        for text in [
            #"{"name":"王老伯","address":"3幢\n201室\t(东)\r","roles":["a","b"],"n":-1.5e3,"ok":true,"none":null}"#,
            #"[]"#, #"{}"#, #" 0 "#, #""\ud83d\ude00 \u00e9 \u0009 \/""#, #"{"a":{"b":[{"c":[0,1e-2,0.5]}]}}"#,
        ] {
            #expect(Self.finding(text) == nil, "\(text)")
        }
    }

    @Test func controlCharactersAreRefusedWhereverTheyAreWithTheirPath() {
        #expect(Self.finding(#"{"roles":["a","b\u0000"]}"#)?.field == "roles/1")
        #expect(Self.finding(#"{"roles":["a","b\u0000"]}"#)?.message.contains("U+0000") == true)
        #expect(Self.finding(#"{"a":{"b":"\u001F"}}"#)?.field == "a/b")
        #expect(Self.finding(#"{"a":"x\by"}"#)?.field == "a", "\\b is U+0008")
        #expect(Self.finding(#"{"a":"x\fy"}"#)?.field == "a", "\\f is U+000C")
        #expect(Self.finding("{\"a\":\"x\u{1}y\"}")?.field == "a", "raw, too")
        // A key: named by its path, the character replaced so the answer does not carry it.
        #expect(Self.finding(#"{"items":[{"ro\u0000les":1}]}"#)?.field == "items/0/ro\u{FFFD}les")
        #expect(Self.finding(#""\u0000""#)?.field == "")
    }

    @Test func unpairedSurrogatesAreRefused() {
        for text in [#"{"a":"\ud800"}"#, #"{"a":"\ud800x"}"#, #"{"a":"\udc00"}"#, #"{"a":"\ud800\u0041"}"#, #"{"a":"\ud800\ud800"}"#] {
            #expect(Self.finding(text)?.field == "a", "\(text)")
            #expect(Self.finding(text)?.message.contains("surrogate") == true, "\(text)")
        }
    }

    @Test func aRepeatedKeyIsRefusedEvenWhenSpeltDifferently() {
        #expect(
            Self.finding(#"{"quantity":1,"quantity":3}"#) == .init(field: "quantity", message: "appears more than once in the same object"))
        #expect(Self.finding(#"{"items":[{"q":1},{"q":1,"\u0071":2}]}"#)?.field == "items/1/q")
        // Canonically equivalent (é precomposed and decomposed): one key to the decoder.
        #expect(Self.finding(#"{"caf\u00e9":1,"cafe\u0301":2}"#) != nil)
        // The same key in different objects is fine.
        #expect(Self.finding(#"{"a":{"q":1},"b":{"q":2}}"#) == nil)
    }

    @Test func nestingIsLimitedForEveryBody() {
        let limit = JSONBodyCheck.maximumDepth
        func nested(_ levels: Int) -> String { String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        #expect(Self.finding(nested(limit)) == nil)
        #expect(Self.finding(nested(limit + 1))?.field == Array(repeating: "0", count: limit).joined(separator: "/"))
        #expect(Self.finding(nested(500))?.message.contains("\(limit) levels") == true)
        let assessment = #"{"assessment":"# + String(repeating: #"{"x":"#, count: limit) + "1" + String(repeating: "}", count: limit + 1)
        #expect(Self.finding(assessment)?.field.hasPrefix("assessment/x/x") == true)
    }

    @Test func whatIsNotJSONIsRefused() {
        for text in ["", "{", #"{"a":1,}"#, "[1 2]", "01", "1.", "-", "tru", #"{"a" 1}"#, "{}x", "\"a\tb\"", #""\x""#, #""\u12""#] {
            #expect(Self.finding(text)?.message.hasPrefix("is not valid JSON") == true, "\(text)")
        }
    }

    @Test func aRefusalIsAProblemNamingTheField() {
        #expect(
            throws: ProblemDetails(
                status: .badRequest, title: "Unreadable body", detail: "The body is not JSON this service accepts.",
                errors: [.init(field: "quantity", message: "appears more than once in the same object")]
            )
        ) {
            try JSONBodyCheck.check(Array(#"{"quantity":1,"quantity":3}"#.utf8))
        }
    }

    @Test func anonymousIdempotencyKeysAreNamespacedByAddress() {
        let first = IdempotentWriter.caller(authorization: nil, clientAddress: "198.51.100.1")
        let second = IdempotentWriter.caller(authorization: nil, clientAddress: "198.51.100.2")
        #expect(first != second)
        #expect(first == IdempotentWriter.caller(authorization: nil, clientAddress: "198.51.100.1"))
        #expect(!first.contains("198.51"), "the table holds a digest, not the address")
        #expect(IdempotentWriter.caller(authorization: nil, clientAddress: nil) == "public")
        #expect(IdempotentWriter.caller(authorization: "Bearer x", clientAddress: "198.51.100.1") != first)
    }
}
