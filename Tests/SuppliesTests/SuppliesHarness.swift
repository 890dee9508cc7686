import Foundation
import HummingbirdTesting
import Intake
import Models
import Outreach
import PostgresNIO
import ServiceKit
import TestSupport
import Testing

@testable import Supplies

/// Supplies' router on a database that also holds intake's and outreach's tables (the
/// geography and the needs allocation reads), with a small geography and helpers that
/// stock a depot through the endpoints a station worker uses.
enum SuppliesHarness {
    static func create() async throws -> ServiceHarness {
        let harness = try await ServiceHarness.create(
            SuppliesService.description, alsoMigrating: IntakeService.description.migrations + OutreachService.description.migrations
        )
        try await harness.database.insertAreas([
            "320505": "虎丘区",
            "320505-001": "狮山",
            "320505-002": "横塘街道",
            "320505-001-001": "和平社区",
            "320505-001-002": "幸福社区",
            "320505-002-001": "阳光社区",
            "320505-001-001-01": "和平苑",
            "320505-001-002-01": "幸福里",
        ])
        return harness
    }

    static let staff = ServiceHarness.token(.staff, "320505-001", subject: "station-staff")

    /// A work order as intake stores it (intake's table), in 和平苑; returns its id.
    static func workOrder(_ harness: ServiceHarness, category: String = "groceries") async throws -> String {
        let id = UUID()
        _ = try await harness.database.withClient { client in
            try await client.query(
                """
                INSERT INTO requests (id, category, urgency, compound, address, zone, contact_name, contact_phone, filed_by, household_key)
                VALUES (\(id), \(category), 'urgent', '320505-001-001-01', '3幢201室', 'sealed', '王老伯', '13912345678', 'resident', \(id.uuidString))
                """,
                logger: .test
            )
        }
        return id.uuidString.lowercased()
    }

    /// A volunteer of 和平社区 as intake stores it (verified unless said); returns its id.
    static func volunteer(_ harness: ServiceHarness, status: String = "verified") async throws -> String {
        let id = UUID()
        _ = try await harness.database.withClient { client in
            try await client.query(
                """
                INSERT INTO volunteers (id, name, mobile, id_number, birth_year, community, health, status)
                VALUES (\(id), '李阿姨', '13900000001', \(id.uuidString), 1967, '320505-001-001', '{}', \(status))
                """,
                logger: .test
            )
        }
        return id.uuidString.lowercased()
    }

    /// Creates an item and a depot in street 320505-001; returns their ids.
    static func itemAndDepot(_ client: any TestClientProtocol, item: String = "KN95 口罩", category: String = "protective-equipment")
        async throws -> (item: String, depot: String)
    {
        let created = try await client.send(
            .post, "/v1/items", token: staff,
            json: Body([
                "name": .string(item), "unit": .string("只"), "category": .string(category),
            ]))
        #expect(created.status == .created)
        let depot = try await client.send(
            .post, "/v1/depots", token: staff,
            json: Body([
                "name": .string("狮山社工站仓库"), "kind": .string("social-work-station"), "area": .string("320505-001-001"),
            ]))
        #expect(depot.status == .created)
        return (try #require(created.json["id"]?.stringValue), try #require(depot.json["id"]?.stringValue))
    }

    /// Receives `lines` (quantity, days to expiry) into the depot; returns the lots' ids in order.
    static func receive(_ client: any TestClientProtocol, depot: String, item: String, _ lines: [(Int, Double?)]) async throws -> [String] {
        let receipt = try await client.send(
            .post, "/v1/receipts", token: staff,
            json: Body([
                "depotId": .string(depot),
                "lines": .array(
                    lines.map { quantity, days in
                        var line: [String: JSONValue] = ["itemId": .string(item), "quantity": .number(Double(quantity))]
                        if let days { line["expiresAt"] = .string(Timestamp.format(Date().addingTimeInterval(days * 86_400))) }
                        return .object(line)
                    }),
            ]))
        #expect(receipt.status == .created, "\(receipt.json)")
        return receipt.json["lines"].arrayValue.compactMap { $0["lotId"]?.stringValue }
    }
}
