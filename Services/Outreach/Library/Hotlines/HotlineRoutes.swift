import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// The log of inbound calls to the psychological-support and service hotlines
/// (`/v1/hotline-calls`): topic, duration and referral, and the caller's identity only when
/// they gave it — many ring precisely because they can stay anonymous.
struct HotlineRoutes {
    let dependencies: ServiceDependencies

    enum Line: String, CaseIterable, Codable {
        case psychologicalSupport = "psychological-support"
        case service
        case children
    }

    struct Input: Decodable {
        var line: String?
        var topic: String?
        var durationSeconds: Int?
        var referral: String?
        var anonymous: Bool?
        var residentId: UUID?
        var area: String?
    }

    struct Entry: Codable {
        var id: UUID
        var cursor: Int64
        var line: String
        var topic: String
        var durationSeconds: Int
        var referral: String?
        var anonymous: Bool
        var residentId: UUID?
        var area: String
        var takenBy: String
        var at: Date
    }

    enum NoStatus: String, CaseIterable { case none }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/hotline-calls") { request, context in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
            let (input, raw) = try await request.readJSON(as: Input.self, context: context)
            var validator = FieldValidator()
            let line: Line? = validator.oneOf(input.line, "line")
            let topic = validator.text(input.topic, "topic", maxLength: 200)
            let duration = validator.range(input.durationSeconds, "durationSeconds", 0...86_400)
            let referral = validator.text(input.referral, "referral", maxLength: 200, optional: true)
            let anonymous = validator.required(input.anonymous, "anonymous")
            let area = validator.area(input.area, "area")
            if anonymous == true && input.residentId != nil { validator.fail("residentId", "an anonymous call names no resident") }
            try validator.check()
            try Scope.require(access, covers: area!)
            return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
                if let resident = input.residentId {
                    let visible = try await connection.query("SELECT compound FROM outreach_residents WHERE id = \(resident)", logger: dependencies.logger)
                        .decode(String.self).collectAll().first.flatMap(AreaCode.init).map(access.covers) == true
                    guard visible else { throw ProblemDetails.validation([.init(field: "residentId", message: "no such resident in your area")]) }
                }
                let id = UUID()
                try await connection.query(
                    """
                    INSERT INTO outreach_hotline_calls (id, line, topic, duration_seconds, referral, anonymous, resident_id, area, taken_by)
                    VALUES (\(id), \(line!.rawValue), \(topic!), \(duration!), \(referral), \(anonymous!), \(input.residentId), \(area!.rawValue), \(access.subject))
                    """,
                    logger: dependencies.logger
                )
                struct Created: Codable { var id: UUID }
                return try StoredResponse(status: .created, json: Created(id: id))
            }
        }
        router.get("/v1/hotline-calls") { request, _ in
            let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
            let query = try ListQuery(request, access: access, statuses: NoStatus.self)
            var entries: [Entry] = []
            for try await row in try await dependencies.client.query(
                query.sql(
                    columns: "id, seq, line, topic, duration_seconds, referral, anonymous, resident_id, area, taken_by, at",
                    from: "outreach_hotline_calls", areaColumn: "area", statusColumn: nil
                ),
                logger: dependencies.logger
            ).decode((UUID, Int64, String, String, Int, String?, Bool, UUID?, String, String, Date).self) {
                entries.append(Entry(
                    id: row.0, cursor: row.1, line: row.2, topic: row.3, durationSeconds: row.4, referral: row.5, anonymous: row.6, residentId: row.7,
                    area: row.8, takenBy: row.9, at: row.10
                ))
            }
            return try JSONResponse.make(Page(items: entries, limit: query.limit, cursor: \.cursor))
        }
    }
}
