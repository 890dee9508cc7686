import ArgumentParser
import Foundation
import Logging
import ServiceKit
import Testing

@Suite struct JSONResponseTests {
    @Test func uuidsAreSpelledInLowercaseAndOtherTextIsLeftAlone() throws {
        struct Answer: Encodable {
            var id: UUID
            var ids: [UUID]
            var note: String
        }
        let id = UUID()
        let text = String(decoding: try JSONResponse.encode(Answer(id: id, ids: [id], note: "ABCDEF-Keep")), as: UTF8.self)
        #expect(text.contains(id.uuidString.lowercased()))
        #expect(!text.contains(id.uuidString))
        #expect(text.contains("ABCDEF-Keep"))
    }
}
