import Foundation
import Models
import PostgresNIO
import ServiceKit
import Store
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A thousand people reaching for two hundred masks at once, through two supplies processes.
@Suite(.serialized) struct SuppliesContentionTests {
    static let secret = "supplies-test-secret"

    @Test func aThousandConcurrentReservationsForTwoHundredMasksOverTwoProcessesReserveExactlyTwoHundred() async throws {
        let suite = try await Deployment.create(migrated: false)
        let migrate = try await suite.start("shouwang", ["migrate"], keyless: true)
        #expect(await migrate.waitForExit(timeout: .seconds(60)) == 0, "\(migrate.errorOutput)")
        try await suite.database.insertAreas([
            "320505": "虎丘区",
            "320505-001": "狮山",
            "320505-001-001": "和平社区",
        ])
        let bus = try await suite.startBus()
        var processes = [bus]
        var urls: [String] = []
        for _ in 0..<2 {
            let port = FreePort.next()
            processes.append(
                try await suite.start("shouwang-supplies", ["--port", "\(port)"], environment: ["SHOUWANG_TOKEN_SECRET": Self.secret]))
            urls.append("http://127.0.0.1:\(port)")
        }
        defer { for process in processes { process.terminate() } }
        for url in urls {
            let ready = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
                (try? await Self.send(url + "/readyz", method: "GET", json: nil).0) == 200
            }
            guard ready else { throw TestSetupError("supplies at \(url) did not become ready: \(processes.map(\.errorOutput).joined())") }
        }
        let item = try await Self.created(urls[0] + "/v1/items", #"{"name":"KN95 口罩","unit":"只","category":"protective-equipment"}"#)
        let depot = try await Self.created(
            urls[0] + "/v1/depots", #"{"name":"狮山社工站","kind":"social-work-station","area":"320505-001-001"}"#)
        let soon = Timestamp.format(Date().addingTimeInterval(86_400 * 5))
        let later = Timestamp.format(Date().addingTimeInterval(86_400 * 90))
        let receipt = try await Self.send(
            urls[1] + "/v1/receipts",
            json: """
                {"depotId":"\(depot)","lines":[{"itemId":"\(item)","quantity":80,"expiresAt":"\(later)"},{"itemId":"\(item)","quantity":120,"expiresAt":"\(soon)"}]}
                """)
        #expect(receipt.0 == 201, "\(receipt.1)")

        let targets = urls
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<1_000 {
                group.addTask {
                    let body = #"{"depotId":"\#(depot)","itemId":"\#(item)","quantity":1}"#
                    return try await Self.send(targets[n % 2] + "/v1/reservations", json: body).0
                }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(statuses == [201: 200, 409: 800], "\(statuses)")
        let database = suite.database
        #expect(try await database.scalar("SELECT count(*)::int FROM reservations WHERE status = 'held'", as: Int.self) == 200)
        #expect(try await database.scalar("SELECT sum(reserved)::int FROM stock_balances", as: Int.self) == 200)
        #expect(
            try await database.scalar(
                "SELECT count(*)::int FROM stock_balances WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand", as: Int.self) == 0)
        #expect(
            try await database.scalar(
                """
                SELECT count(*)::int FROM stock_balances b JOIN (SELECT lot_id, sum(on_hand_change) o, sum(reserved_change) r FROM stock_movements GROUP BY lot_id) m
                ON m.lot_id = b.lot_id WHERE m.o <> b.on_hand OR m.r <> b.reserved
                """, as: Int.self) == 0)
        #expect(
            try await database.scalar("SELECT count(*)::int FROM outbox WHERE topic = 'supplies.reservation.created'", as: Int.self) == 200)
        // The lot that expires first was emptied first.
        #expect(
            try await database.scalar(
                "SELECT reserved FROM stock_balances b JOIN lots l ON l.id = b.lot_id WHERE l.quantity = 120", as: Int.self) == 120)
    }

    static func token() throws -> String {
        try TokenSigner(secret: secret).issue(
            AccessToken(subject: "e2e", role: .staff, area: AreaCode("320505-001"), expiresAt: Date().addingTimeInterval(3600)))
    }

    static func send(_ url: String, method: String = "POST", json: String?) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        request.setValue("Bearer \(try token())", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
    }

    static func created(_ url: String, _ json: String) async throws -> String {
        let (status, body) = try await send(url, json: json)
        guard status == 201, let id = try JSONParser.parse(Array(body.utf8))["id"]?.stringValue else {
            throw TestSetupError("\(url) answered \(status): \(body)")
        }
        return id
    }
}
