import Foundation
import Models
import ServiceKit
import Store
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Intake scaled out to three processes on one database, as during a testing surge.
@Suite(.serialized) struct IntakeReplicasTests {
    static let secret = "replica-test-secret"

    static func token(_ role: AccessRole, _ area: String?) throws -> String {
        try TokenSigner(secret: secret).issue(
            AccessToken(subject: "e2e", role: role, area: area.flatMap(AreaCode.init), expiresAt: Date().addingTimeInterval(3600)))
    }

    static func post(_ url: String, method: String = "POST", token: String?, key: String? = nil, json: String) async throws -> (Int, String)
    {
        try await sendJSON(url, method: method, token: token, key: key, json: json)
    }

    /// Bus plus three intake replicas; returns their base URLs.
    static func start(_ suite: Deployment) async throws -> (processes: [ChildProcess], urls: [String]) {
        let bus = try await suite.startBus()
        var processes = [bus]
        var urls: [String] = []
        for _ in 0..<3 {
            let port = FreePort.next()
            processes.append(
                try await suite.start("shouwang-intake", ["--port", "\(port)"], environment: ["SHOUWANG_TOKEN_SECRET": secret]))
            urls.append("http://127.0.0.1:\(port)")
        }
        for url in urls {
            let ready = await answers(url + "/readyz")
            guard ready else { throw TestSetupError("intake at \(url) did not become ready: \(processes.map(\.errorOutput).joined())") }
        }
        let areas =
            #"[{"code":"320505","name":"虎丘区"},{"code":"320505-001","name":"狮山"},{"code":"320505-001-001","name":"和平社区"},{"code":"320505-001-001-01","name":"和平苑"}]"#
        let (status, body) = try await post(urls[0] + "/v1/areas", method: "PUT", token: try token(.operator, nil), json: areas)
        guard status == 200 else { throw TestSetupError("could not load areas: \(status) \(body)") }
        return (processes, urls)
    }

    @Test func theSameIdempotentWriteToThreeReplicasAtOnceIsStoredOnceAndAnsweredAlike() async throws {
        let suite = try await Deployment.create(migrated: false)
        let (processes, urls) = try await Self.start(suite)
        defer { for process in processes { process.terminate() } }
        let request =
            #"{"category":"medicine","details":{"drugName":"氨氯地平","dose":"5mg"},"urgency":"urgent","compound":"320505-001-001-01","address":"3幢201室","zone":"sealed","contactName":"王老伯","contactPhone":"13912345678","filedBy":"resident"}"#
        for round in 0..<5 {
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for url in urls {
                    group.addTask { try await Self.post(url + "/v1/requests", token: nil, key: "same-\(round)", json: request) }
                }
                return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == 201 }, "\(answers)")
            #expect(Set(answers.map(\.1)).count == 1, "replicas answered differently: \(answers)")
        }
        #expect(try await suite.database.scalar("SELECT count(*)::int FROM requests", as: Int.self) == 5)
        #expect(
            try await suite.database.scalar("SELECT count(*)::int FROM outbox WHERE topic = 'intake.request.created'", as: Int.self) == 5)
    }

    @Test func aBatchResentToThreeReplicasAtOnceIsRecordedOnce() async throws {
        let suite = try await Deployment.create(migrated: false)
        let (processes, urls) = try await Self.start(suite)
        defer { for process in processes { process.terminate() } }
        let staff = try Self.token(.staff, "320505-001")
        let round = try await Self.post(
            urls[0] + "/v1/testing-rounds", token: staff,
            json: #"{"name":"r","area":"320505-001","startsAt":"2026-11-25T00:00:00Z","endsAt":"2026-11-26T00:00:00Z"}"#)
        let roundID = try JSONParser.parse(Array(round.1.utf8))["id"]!.stringValue!
        let site = try await Self.post(
            urls[0] + "/v1/testing-rounds/\(roundID)/sites", token: staff,
            json: #"{"area":"320505-001-001","name":"s","opensAt":"07:00","closesAt":"19:00","expectedPopulation":500}"#)
        let siteID = try JSONParser.parse(Array(site.1.utf8))["id"]!.stringValue!
        let scanned = Timestamp.format(Date().addingTimeInterval(-30))
        let items = (0..<100).map { n in
            #"{"roundId":"\#(roundID)","siteId":"\#(siteID)","residentCode":"RES-\#(n)","tubeBarcode":"TB-\#(100000 + n)","scannedAt":"\#(scanned)","operator":"op1"}"#
        }
        let batch = #"{"items":[\#(items.joined(separator: ","))]}"#
        let device = try Self.token(.device, "320505-001-001")
        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for url in urls { group.addTask { try await Self.post(url + "/v1/checkins", token: device, json: batch) } }
            return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
        }
        let accepted = try answers.map { try JSONParser.parse(Array($0.1.utf8))["accepted"]?.intValue ?? -1 }
        let duplicates = try answers.map { try JSONParser.parse(Array($0.1.utf8))["duplicates"]?.intValue ?? -1 }
        #expect(answers.allSatisfy { $0.0 == 200 }, "\(answers.map(\.0))")
        #expect(accepted.reduce(0, +) == 100)
        #expect(zip(accepted, duplicates).allSatisfy { $0 + $1 == 100 })
        #expect(try await suite.database.scalar("SELECT count(*)::int FROM checkins", as: Int.self) == 100)
    }
}
