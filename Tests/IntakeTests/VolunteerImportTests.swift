import Foundation
import HTTPTypes
import HummingbirdTesting
import Models
import NIOCore
import ServiceKit
import Tabular
import TestSupport
import Testing

@testable import Intake

/// Bulk import of volunteers registered at a station desk: a result per row, pending like
/// every sign-up, scope, the call's rules, and a re-upload that writes nothing.
@Suite struct VolunteerImportTests {
    static let staff = IntakeHarness.token(.staff, "320505-001", subject: "desk-1")
    static let header = "姓名,手机号,身份证号,社区,技能,健康码,体温,症状,已接种疫苗"

    static func idNumber(_ sequence: Int) -> String {
        let body = "3205" + String(format: "%02d", sequence / 1000 % 100) + "19850612" + String(format: "%03d", sequence % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    static func row(_ sequence: Int, community: String = "320505-001-001", code: String = "绿", temperature: String = "36.5") -> String {
        "志愿者\(sequence),139\(String(format: "%08d", sequence)),\(idNumber(sequence)),\(community),驾驶、方言,\(code),\(temperature),无,是"
    }

    /// An open call of street 320505-001 taking `headcount` sign-ups.
    static func openCall(_ client: any TestClientProtocol, headcount: Int = 50, enforce: Bool = false) async throws -> String {
        let organization = try await client.send(
            .post, "/v1/organizations", token: staff,
            json: Body(["kind": .string("social-work-station"), "name": .string("狮山社工站"), "area": .string("320505-001")]))
        let call = try await client.send(
            .post, "/v1/recruitment-calls", token: IntakeHarness.token(.operator, nil),
            json: Body([
                "organizationId": organization.json["id"]!, "area": .string("320505-001"), "title": .string("核酸采样志愿者招募令"),
                "roles": .array([.string("registration")]), "headcount": .number(Double(headcount)), "enforceHeadcount": .bool(enforce),
                "deadline": .string(Timestamp.format(Date().addingTimeInterval(86_400))),
            ]))
        #expect(call.status == .created)
        return try #require(call.json["id"]?.stringValue)
    }

    static func upload(
        _ client: any TestClientProtocol, call: String, _ bytes: [UInt8], type: String = ImportTable.Format.csvMediaType,
        token: String? = staff
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: "/v1/recruitment-calls/\(call)/sign-ups:import", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    static func statuses(_ answer: TestResponse) -> [String] {
        answer.json["results"].arrayValue.compactMap { $0["status"]?.stringValue }
    }

    @Test func eachRowIsSignedUpPendingAndAReUploadWritesNothing() async throws {
        let harness = try await IntakeHarness.create()
        let csv = [
            Self.header, Self.row(1),
            Self.row(2, code: "紫", temperature: "高烧"),
            Self.row(3, community: "320505-002-001"),  // another street
            Self.row(4, community: "320505-001-009"),  // no such community
            Self.row(1),
        ].joined(separator: "\n")
        try await harness.run { client in
            let call = try await Self.openCall(client)
            let first = try await Self.upload(client, call: call, Array(csv.utf8))
            #expect(first.status == .ok)
            #expect(Self.statuses(first) == ["created", "invalid", "outOfArea", "invalid", "unchanged"])
            let rows = first.json["results"].arrayValue
            #expect(Set(rows[1]["errors"].arrayValue.compactMap { $0["field"]?.stringValue }) == ["healthCode", "temperature"])
            #expect(rows[3]["errors"].arrayValue.first?["field"] == .string("homeCommunity"))
            #expect(rows[4]["id"] == rows[0]["id"])

            let again = try await Self.upload(client, call: call, Array(csv.utf8))
            #expect(Self.statuses(again) == ["unchanged", "invalid", "outOfArea", "invalid", "unchanged"])
            let id = try #require(rows[0]["id"]?.stringValue)
            let volunteer = try await client.send(.get, "/v1/volunteers/\(id)", token: Self.staff)
            #expect(volunteer.json["volunteer"]?["status"] == .string("pending"))
            #expect(volunteer.json["volunteer"]?["skills"] == .array([.string("driving"), .string("dialect")]))
        }
        #expect(try await harness.count("SELECT count(*) FROM volunteers") == 1)
        #expect(try await harness.count("SELECT count(*) FROM volunteers WHERE status = 'pending' AND birth_year = 1985") == 1)
        #expect(try await harness.count("SELECT count(*) FROM volunteer_history WHERE action = 'sign-up' AND actor = 'desk-1'") == 1)
        let events = try await harness.events("intake.volunteer.registered")
        #expect(events.count == 1)
        #expect(events.first?["eligible"] == .bool(false))
        #expect(!"\(events)".contains("志愿者") && !"\(events)".contains(Self.idNumber(1)))
    }

    @Test func aWorkbookIsReadAndAFullCallRefusesTheRowsBeyondItsHeadcount() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client, headcount: 1, enforce: true)
            let header = [
                "name", "mobile", "idNumber", "birthYear", "homeCommunity", "healthCode", "temperature", "symptoms", "vaccinated",
            ]
            let rows: [[Cell]] =
                [header.map { .text($0) }]
                + (1...2).map { sequence in
                    [
                        .text("志愿者\(sequence)"), .number(Double(13_900_000_000 + sequence)), .text(Self.idNumber(sequence)), .number(1985),
                        .text("320505-001-001"), .text("green"), .number(36.4), .text("no"), .text("yes"),
                    ]
                }
            let workbook = XLSXWriter.workbook([Sheet(name: "报名", rows: rows)])
            let answer = try await Self.upload(client, call: call, workbook, type: ImportTable.Format.xlsxMediaType)
            #expect(Self.statuses(answer) == ["created", "refused"])
            #expect(answer.json["refused"]?.intValue == 1)
            let missing = try await Self.upload(client, call: UUID().uuidString, workbook, type: ImportTable.Format.xlsxMediaType)
            #expect(missing.status == .notFound)
            #expect(try await Self.upload(client, call: call, workbook, type: "text/plain").status == .unsupportedMediaType)
            let volunteer = IntakeHarness.token(.volunteer, "320505-001")
            #expect(try await Self.upload(client, call: call, workbook, token: volunteer).status == .forbidden)
            // Another street's desk cannot fill this street's call with its own volunteers
            // (taking its places, and showing this street's staff their records).
            let otherDesk = IntakeHarness.token(.staff, "320505-002", subject: "desk-9")
            let theirs = [Self.header, Self.row(7, community: "320505-002-001")].joined(separator: "\r\n")
            let refused = try await Self.upload(client, call: call, Array(theirs.utf8), token: otherDesk)
            #expect(refused.status == .conflict)
        }
        #expect(try await harness.count("SELECT count(*) FROM volunteers") == 1)
    }

    /// 4,000 rows in one go (the workbook path at that size is measured by `ResidentImportTests`).
    @Test func fourThousandRowsInOneGo() async throws {
        let harness = try await IntakeHarness.create()
        try await harness.run { client in
            let call = try await Self.openCall(client, headcount: 10_000)
            let csv = ([Self.header] + (1...4_000).map { Self.row($0) }).joined(separator: "\r\n")
            let started = Date()
            let answer = try await Self.upload(client, call: call, Array(csv.utf8))
            #expect(answer.json["created"]?.intValue == 4_000)
            print("volunteer import, 4,000 rows: CSV \(Date().timeIntervalSince(started)) s")
        }
        #expect(try await harness.count("SELECT count(*) FROM volunteers WHERE status = 'pending'") == 4_000)
    }
}
