import Foundation
import Intake
import Models
import PostgresNIO
import ServiceKit
import TestSupport

@testable import Outreach

/// Outreach's router on a database that also holds intake's tables (the geography it
/// checks area codes against, the requests its needs become), with a small geography:
/// district 320505, streets -001 and -002, a community and a compound in each.
enum OutreachHarness {
    static func create() async throws -> ServiceHarness {
        let harness = try await ServiceHarness.create(OutreachService.description, alsoMigrating: IntakeService.description.migrations)
        try await harness.database.insertAreas([
            "320505": "虎丘区",
            "320505-001": "狮山",
            "320505-002": "横塘街道",
            "320505-001-001": "和平社区",
            "320505-002-001": "阳光社区",
            "320505-001-001-01": "和平苑",
            "320505-002-001-01": "阳光花园",
        ])
        return harness
    }

    static let staff = ServiceHarness.token(.staff, "320505-001", subject: "station-staff")

    /// An 86-year-old living alone in 和平苑, with her daughter as the contact.
    static func elder(compound: String = "320505-001-001-01", phone: String = "13812345678") -> Body {
        Body([
            "name": .string("李奶奶"), "birthYear": .number(1940), "compound": .string(compound), "address": .string("5幢 302室"),
            "categories": .array([.string("elder-80-plus"), .string("living-alone")]), "careLevel": .string("high"),
            "consent": .bool(true), "contactName": .string("李女士（女儿）"), "contactPhone": .string(phone),
        ])
    }
}
