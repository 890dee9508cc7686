import EventBus
import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Volunteers: public sign-up to a recruitment call, vetting by station staff, and reads
/// scoped to the caller's area (mobile and ID numbers masked in lists).
struct VolunteerRoutes {
    let dependencies: ServiceDependencies
    let signUpLimiter: RateLimiter

    struct VettingInput: Decodable {
        var action: String?
        var reason: String?
    }

    struct ListItem: Codable {
        var id: UUID
        var cursor: Int64
        var name: String
        var mobile: String
        var idNumber: String
        var community: String
        var teamId: UUID?
        var status: String
        var trained: Bool
        var insured: Bool
        var eligible: Bool
        var skills: [String]
        var health: JSONValue
        var createdAt: Date
    }

    struct HistoryEntry: Codable {
        var at: Date
        var action: String
        var status: String
        var reason: String?
        var actor: String
    }

    struct Detail: Codable {
        var volunteer: ListItem
        var history: [HistoryEntry]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/recruitment-calls/{id}/sign-ups") { request, context in try await signUp(request, context) }
        router.post("/v1/volunteers/{id}/vetting") { request, context in try await vet(request, context) }
        router.get("/v1/volunteers") { request, _ in try await list(request) }
        router.get("/v1/volunteers/{id}") { request, context in try await detail(request, context) }
    }

    // MARK: Sign-up

    private func signUp(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        // A station desk registering volunteers sends its staff token: limited per token, not
        // as one anonymous address shared by the whole queue in front of the desk.
        let desk = request.headers[.authorization] == nil ? nil : try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        try signUpLimiter.admit(context, token: desk)
        guard let callID = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such recruitment call.") }
        let (form, raw) = try await request.readJSON(as: SignUpForm.self, context: context)
        let volunteer = try form.validated()
        return try await dependencies.writes.perform(request, body: raw) { connection in
            let call = try await openCall(callID, on: connection)
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("homeCommunity", volunteer.community)])
            // 就近就便: volunteers serve near home, never across districts.
            guard call.area.district == volunteer.community.district else {
                throw ProblemDetails.validation([
                    .init(
                        field: "homeCommunity",
                        message: "this call recruits in district \(call.area.district.rawValue); volunteers sign up in their own district (\(volunteer.community.district.rawValue)) — please answer a call of your own district"
                    )
                ])
            }
            if let team = volunteer.team {
                let teamArea = try await connection.query("SELECT area FROM teams WHERE id = \(team)", logger: dependencies.logger)
                    .decode(String.self).collectAll().first.flatMap(AreaCode.init)
                guard let teamArea, teamArea.contains(volunteer.community) else {
                    throw ProblemDetails.validation([.init(field: "teamId", message: "no such team for your community; teams recruit near home")])
                }
            }
            let id = UUID()
            let inserted = try await connection.query(
                """
                INSERT INTO volunteers (id, name, mobile, id_number, birth_year, community, team_id, call_id, skills, availability, health)
                VALUES (\(id), \(volunteer.name), \(volunteer.mobile.digits), \(volunteer.idNumber.value), \(volunteer.birthYear),
                        \(volunteer.community.rawValue), \(volunteer.team), \(callID), \(volunteer.skills),
                        \(volunteer.availabilityJSON)::jsonb, \(volunteer.healthJSON)::jsonb)
                ON CONFLICT (id_number) DO NOTHING RETURNING id
                """,
                logger: dependencies.logger
            ).collect().count == 1
            guard inserted else {
                let existing = try await connection.query(
                    "SELECT id FROM volunteers WHERE id_number = \(volunteer.idNumber.value)", logger: dependencies.logger
                ).decode(UUID.self).collectAll().first
                throw ProblemDetails(
                    status: .conflict, title: "Already registered",
                    detail: "This ID number is already registered as a volunteer; contact your station to update that registration.",
                    related: existing.map { "/v1/volunteers/\($0.uuidString.lowercased())" }
                )
            }
            try await recordHistory(id, action: "sign-up", status: .pending, reason: nil, actor: "public", on: connection)
            try await Outbox.append(
                IntakeEvents.volunteer("intake.volunteer.registered", id: id, community: volunteer.community, team: volunteer.team, skills: volunteer.skills, vetting: VolunteerVetting(), call: callID),
                on: connection, logger: dependencies.logger
            )
            struct Registered: Codable { var id: UUID; var status: String }
            return try StoredResponse(status: .created, json: Registered(id: id, status: VolunteerStatus.pending.rawValue))
        }
    }

    private func openCall(_ id: UUID, on connection: PostgresConnection) async throws -> (area: AreaCode, deadline: Date) {
        for try await (area, deadline) in try await connection.query(
            "SELECT area, deadline FROM recruitment_calls WHERE id = \(id)", logger: dependencies.logger
        ).decode((String, Date).self) {
            guard deadline > Date() else {
                throw ProblemDetails(status: .conflict, title: "Call closed", detail: "This recruitment call closed at \(Timestamp.format(deadline)).")
            }
            return (AreaCode(area)!, deadline)
        }
        throw ProblemDetails(status: .notFound, detail: "No such recruitment call.")
    }

    // MARK: Vetting

    private func vet(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
        let (input, raw) = try await request.readJSON(as: VettingInput.self, context: context)
        var validator = FieldValidator()
        let action: VettingAction? = validator.oneOf(input.action, "action")
        let reason = validator.text(input.reason, "reason", maxLength: 500, optional: true)
        try validator.check()
        return try await dependencies.writes.perform(request, body: raw) { connection in
            guard let row = try await connection.query(
                "SELECT community, team_id, skills, status, trained, insured FROM volunteers WHERE id = \(id) FOR UPDATE",
                logger: dependencies.logger
            ).decode((String, UUID?, [String], String, Bool, Bool).self).collectAll().first else {
                throw ProblemDetails(status: .notFound, detail: "No such volunteer.")
            }
            let (communityText, teamBefore, skills, status, trained, insured) = row
            let community = AreaCode(communityText)!
            try Scope.requireVisible(access, community, what: "volunteer")
            var vetting = VolunteerVetting(status: VolunteerStatus(rawValue: status) ?? .pending, trained: trained, insured: insured)
            do {
                try vetting.apply(action!, reason: reason)
            } catch {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: "\(error)")
            }
            try await connection.query(
                """
                UPDATE volunteers SET status = \(vetting.status.rawValue), trained = \(vetting.trained), insured = \(vetting.insured),
                       updated_at = now() WHERE id = \(id)
                """,
                logger: dependencies.logger
            )
            try await recordHistory(id, action: action!.rawValue, status: vetting.status, reason: reason, actor: access.subject, on: connection)
            // Someone who is rejected or withdraws leaves their team, and its lead if they held it.
            var team = teamBefore
            if let current = team, action == .withdraw || action == .reject {
                let store = TeamStore(connection: connection, logger: dependencies.logger)
                let leads = try await store.lockTeams([current])[current]?.leader == id
                var leaving = TeamMembership(team: current, leads: leads, status: .verified)
                for change in (try? leaving.leave(current)) ?? [] {
                    try await store.apply(change, volunteer: id, community: community, actor: access.subject)
                }
                team = nil
            }
            try await Outbox.append(
                IntakeEvents.volunteer(try Topic(VolunteerVetting.topic(for: action!)), id: id, community: community, team: team, skills: skills, vetting: vetting),
                on: connection, logger: dependencies.logger
            )
            struct Vetted: Codable { var id: UUID; var status: String; var trained: Bool; var insured: Bool; var eligible: Bool }
            return try StoredResponse(json: Vetted(id: id, status: vetting.status.rawValue, trained: vetting.trained, insured: vetting.insured, eligible: vetting.isEligible))
        }
    }

    private func recordHistory(_ id: UUID, action: String, status: VolunteerStatus, reason: String?, actor: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO volunteer_history (volunteer_id, action, status, reason, actor) VALUES (\(id), \(action), \(status.rawValue), \(reason), \(actor))",
            logger: dependencies.logger
        )
    }

    // MARK: Reads

    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let query = try ListQuery(request, access: access, statuses: VolunteerStatus.self)
        var items: [ListItem] = []
        for try await row in try await dependencies.client.query(
            query.sql(columns: Self.columns, from: "volunteers", areaColumn: "community"), logger: dependencies.logger
        ).decode(Row.self) {
            items.append(Self.item(row, masked: true))
        }
        return try JSONResponse.make(Page(items: items, limit: query.limit, cursor: \.cursor))
    }

    private func detail(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        guard let id = context.parameters.get("id", as: UUID.self),
            let row = try await dependencies.client.query(
                "SELECT \(unescaped: Self.columns) FROM volunteers WHERE id = \(id)", logger: dependencies.logger
            ).decode(Row.self).collectAll().first
        else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
        let volunteer = Self.item(row, masked: false)
        try Scope.requireVisible(access, AreaCode(volunteer.community)!, what: "volunteer")
        var history: [HistoryEntry] = []
        for try await (at, action, status, reason, actor) in try await dependencies.client.query(
            "SELECT at, action, status, reason, actor FROM volunteer_history WHERE volunteer_id = \(id) ORDER BY at", logger: dependencies.logger
        ).decode((Date, String, String, String?, String).self) {
            history.append(HistoryEntry(at: at, action: action, status: status, reason: reason, actor: actor))
        }
        return try JSONResponse.make(Detail(volunteer: volunteer, history: history))
    }

    private static let columns = "id, seq, name, mobile, id_number, community, team_id, status, trained, insured, skills, health::text, created_at"
    private typealias Row = (UUID, Int64, String, String, String, String, UUID?, String, Bool, Bool, [String], String, Date)

    private static func item(_ row: Row, masked: Bool) -> ListItem {
        let (id, seq, name, mobile, idNumber, community, team, status, trained, insured, skills, health, created) = row
        let vetting = VolunteerVetting(status: VolunteerStatus(rawValue: status) ?? .pending, trained: trained, insured: insured)
        return ListItem(
            id: id, cursor: seq, name: name,
            mobile: masked ? (MobileNumber(mobile)?.masked ?? "***") : mobile,
            idNumber: masked ? (ResidentIDNumber(idNumber)?.masked ?? "***") : idNumber,
            community: community, teamId: team, status: status, trained: trained, insured: insured, eligible: vetting.isEligible,
            skills: skills, health: (try? JSONParser.parse(Array(health.utf8))) ?? .null, createdAt: created
        )
    }
}
