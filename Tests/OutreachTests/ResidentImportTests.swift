import Foundation
import Glibc
import HTTPTypes
import HummingbirdTesting
import Models
import NIOCore
import ServiceKit
import Tabular
import TestSupport
import Testing

@testable import Outreach

/// Bulk import of the registry: CSV (UTF-8, GB18030) and Excel, a result per row, scope,
/// and a re-upload that writes nothing.
@Suite struct ResidentImportTests {
    static let staff = OutreachHarness.staff
    static let header = "姓名,身份证号,出生年份,小区,住址,类别,关爱等级,本人同意,联系人,联系电话,备注"

    /// A valid ID number (GB 11643 check character computed).
    static func idNumber(_ sequence: Int, birth: String = "19400315") -> String {
        let body = "3205" + String(format: "%02d", sequence / 1000 % 100) + birth + String(format: "%03d", sequence % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    static func row(_ sequence: Int, compound: String = "320505-001-001-01", id: String? = nil) -> String {
        "居民\(sequence),\(id ?? idNumber(sequence)),,\(compound),\(sequence)幢 101室,\"高龄、独居\",高,是,家属\(sequence),"
            + "138\(String(format: "%08d", sequence)),"
    }

    static func upload(
        _ client: any TestClientProtocol, _ bytes: [UInt8], type: String = ImportTable.Format.csvMediaType, token: String? = staff
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/v1/residents:import", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    static func statuses(_ answer: TestResponse) -> [String] {
        answer.json["results"].arrayValue.compactMap { $0["status"]?.stringValue }
    }

    @Test func eachRowIsAnsweredAndAReUploadWritesNothing() async throws {
        let harness = try await OutreachHarness.create()
        let csv = [
            Self.header, Self.row(1),
            "居民2,320505194003150010,,320505-001-001-01,1幢,独居,高,是,家属,1381234,",  // check character and phone wrong
            Self.row(3, compound: "320505-002-001-01"),  // another street
            Self.row(4, compound: "320505-001-001-09"),  // no such compound
            "", Self.row(1),  // the same person again, after an empty line
        ].joined(separator: "\r\n")
        try await harness.run { client in
            let first = try await Self.upload(client, [0xEF, 0xBB, 0xBF] + Array(csv.utf8))
            #expect(first.status == .ok)
            #expect(Self.statuses(first) == ["created", "invalid", "outOfArea", "invalid", "unchanged"])
            let rows = first.json["results"].arrayValue
            #expect(rows.map { $0["row"]?.intValue } == [2, 3, 4, 5, 7])
            let fields = Set(rows[1]["errors"].arrayValue.compactMap { $0["field"]?.stringValue })
            #expect(fields == ["idNumber", "contactPhone"])
            #expect(rows[3]["errors"].arrayValue.first?["field"] == .string("compound"))
            #expect(rows[4]["id"] == rows[0]["id"])
            #expect(first.json["created"]?.intValue == 1 && first.json["invalid"]?.intValue == 2)

            let again = try await Self.upload(client, Array(csv.utf8))
            #expect(Self.statuses(again) == ["unchanged", "invalid", "outOfArea", "invalid", "unchanged"])
            #expect(again.json["results"].arrayValue.first?["id"] == rows[0]["id"])
            // The one registered is a whole registration: its record reads back, its follow-ups started.
            let id = try #require(rows[0]["id"]?.stringValue)
            let record = try await client.send(.get, "/v1/residents/\(id)?reason=import%20check", token: Self.staff)
            #expect(record.json["categories"] == .array([.string("elder-80-plus"), .string("living-alone")]))
            #expect(record.json["birthYear"]?.intValue == 1940)
            #expect(record.json["consent"] == .bool(true))
        }
        #expect(try await harness.count("SELECT count(*) FROM outreach_residents") == 1)
        #expect(try await harness.count("SELECT count(*) FROM outreach_followups") == 1)
        let events = try await harness.events("outreach.resident.registered")
        #expect(events.count == 1)
        #expect(!"\(events)".contains("居民") && !"\(events)".contains(Self.idNumber(1)))
    }

    /// The registry says who is disabled, mentally ill or a child in difficulty: an upload
    /// must not tell a street whether an ID number is on another street's registry.
    @Test func anotherStreetsRegistrationIsNeitherRevealedNorTouched() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let first = try await Self.upload(client, Array([Self.header, Self.row(1)].joined(separator: "\r\n").utf8))
            #expect(Self.statuses(first) == ["created"])
            let otherStreet = ServiceHarness.token(.staff, "320505-002")
            let theirs = [Self.header, Self.row(1, compound: "320505-002-001-01")].joined(separator: "\r\n")
            let answer = try await Self.upload(client, Array(theirs.utf8), token: otherStreet)
            #expect(Self.statuses(answer) == ["created"])
            #expect(answer.json["results"].arrayValue.first?["id"] != first.json["results"].arrayValue.first?["id"])
            #expect(!String(buffer: answer.body).contains("registered"))
        }
    }

    @Test func readsGB18030AndExcelWorkbooksWithEnglishHeaders() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let gb = try Self.gb18030([Self.header, Self.row(11)].joined(separator: "\r\n"))
            #expect(Self.statuses(try await Self.upload(client, gb)) == ["created"])

            let header = [
                "name", "idNumber", "birthYear", "compound", "address", "categories", "careLevel", "consent", "contactName",
                "contactPhone", "carerName",
            ].map { Cell.text($0) }
            let workbook = XLSXWriter.workbook([
                Sheet(
                    name: "名单",
                    rows: [
                        header,
                        [
                            .text("张爷爷"), .text(Self.idNumber(12)), .number(1940), .text("320505-001-001-01"), .text("2幢 202室"),
                            .text("disabled; seriously-ill"), .text("medium"), .text("yes"), .text("张先生"), .number(13_912_345_678),
                            .text("李阿姨"),
                        ],
                        [
                            .text("王奶奶"), .text(Self.idNumber(11)), .number(1940), .text("320505-001-001-01"), .text("3幢"),
                            .text("独居"), .text("低"), .text("否"), .text("王先生"), .number(13_912_345_679),
                        ],
                    ])
            ])
            let answer = try await Self.upload(client, workbook, type: ImportTable.Format.xlsxMediaType)
            #expect(Self.statuses(answer) == ["created", "unchanged"])
        }
        #expect(
            try await harness.count("SELECT count(*) FROM outreach_residents WHERE carer_name = '李阿姨' AND contact_phone = '13912345678'")
                == 1)
    }

    @Test func aFileThatIsNotTheRegistryIsRefusedWhole() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let unknown = try await Self.upload(client, Array("姓名,身份证,小区\r\n王,1,2".utf8))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.json["errors"].arrayValue.first?["field"] == .string("file"))
            #expect(try await Self.upload(client, Array("\(Self.header)\r\n".utf8)).status == .unprocessableContent)
            #expect(
                try await Self.upload(client, Array("PK\u{3}\u{4}garbage".utf8), type: ImportTable.Format.xlsxMediaType).status
                    == .unprocessableContent)
            #expect(try await Self.upload(client, Array(Self.header.utf8), type: "application/json").status == .unsupportedMediaType)
            #expect(try await Self.upload(client, Array(Self.header.utf8), token: nil).status == .unauthorized)
            let caller = ServiceHarness.token(.caller, "320505-001", subject: "caller-7")
            #expect(try await Self.upload(client, Array(Self.header.utf8), token: caller).status == .forbidden)
        }
        #expect(try await harness.count("SELECT count(*) FROM outreach_residents") == 0)
    }

    /// 4,000 rows in one go as CSV, all imported; the same rows as a workbook, all unchanged.
    @Test func fourThousandRowsInOneGo() async throws {
        let harness = try await OutreachHarness.create()
        try await harness.run { client in
            let csv = ([Self.header] + (1...4_000).map { Self.row($0) }).joined(separator: "\r\n")
            var started = Date()
            let first = try await Self.upload(client, Array(csv.utf8))
            let csvSeconds = Date().timeIntervalSince(started)
            #expect(first.json["created"]?.intValue == 4_000)
            let rows =
                [Self.header.split(separator: ",").map { Cell.text(String($0)) }]
                + (1...4_000).map { sequence -> [Cell] in
                    [
                        "居民\(sequence)", Self.idNumber(sequence), "", "320505-001-001-01", "\(sequence)幢 101室", "高龄、独居", "高", "是",
                        "家属\(sequence)", "138\(String(format: "%08d", sequence))",
                    ].map { Cell.text($0) }
                }
            let workbook = XLSXWriter.workbook([Sheet(name: "名单", rows: rows)])
            started = Date()
            let again = try await Self.upload(client, workbook, type: ImportTable.Format.xlsxMediaType)
            let xlsxSeconds = Date().timeIntervalSince(started)
            #expect(again.json["unchanged"]?.intValue == 4_000)
            print("resident import, 4,000 rows: CSV \(csvSeconds) s; the same as XLSX (\(workbook.count) bytes) \(xlsxSeconds) s")
        }
        #expect(try await harness.count("SELECT count(*) FROM outreach_residents") == 4_000)
        #expect(try await harness.count("SELECT count(*) FROM outbox WHERE topic = 'outreach.resident.registered'") == 4_000)
    }

    /// The text as GB18030 bytes, through glibc's iconv.
    static func gb18030(_ text: String) throws -> [UInt8] {
        let converter = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 4)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                _ = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return outBuffer.count - outLeft
            }
        }
        return Array(output.prefix(produced))
    }
}
