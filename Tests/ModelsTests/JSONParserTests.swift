import Foundation
import Models
import Testing

@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(
            value
                == .object([
                    "a": .array([.number(1), .number(-2), .number(3.5), .number(1000), .bool(true), .bool(false), .null]),
                    "b": .object(["c": .string("d")]), "e": .string(""),
                ]))
    }

    @Test func decodesEscapesAndUnicodeLikeFoundation() throws {
        let text = #"{"s": "q\"b\\s\/n\nt\tu\u00e9\ud83d\ude00 社区"}"#
        let expected = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(try parse(text)["s"]?.stringValue == expected?["s"])
    }

    @Test func largeIntegersKeepTheirValue() throws {
        #expect(try parse("9007199254740991").intValue == 9_007_199_254_740_991)
        #expect(try parse("-42").intValue == -42)
    }

    @Test(arguments: ["", "{", "[1,]", #"{"a" 1}"#, "tru", "\"open", "01x", "{} {}", "\"a\u{01}\"", #""\ud800""#, "-"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }
}
