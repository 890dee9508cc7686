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
        /// Only in a single volunteer's record, read by staff: a health declaration is
        /// medical data, not something a list page or a dispatcher needs.
        var health: JSONValue?
        var createdAt: Date
    }

    struct HistoryEntry: Codable {
        var at: Date
        var action: String
        var status: String
        var reason: String?
        var actor: String
    }

    struct DeclarationEntry: Codable {
        var declaredAt: Date
        var health: JSONValue
        var fit: Bool
        var actor: String
    }

    struct Detail: Codable {
        var volunteer: ListItem
        var history: [HistoryEntry]
        var declarations: [DeclarationEntry]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/recruitment-calls/{id}/sign-ups") { request, context in try await signUp(request, context) }
        router.post("/v1/volunteers/{id}/vetting") { request, context in try await vet(request, context) }
        router.post("/v1/volunteers/{id}/health-declarations") { request, context in try await declare(request, context) }
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
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
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
            let store = VolunteerStore(connection: connection, logger: dependencies.logger)
            guard let id = try await store.register(volunteer, call: callID, actor: desk?.subject ?? "public") else {
                return try await repeated(volunteer, call: callID, desk: desk, store: store, on: connection)
            }
            guard desk != nil else { return try Self.received() }
            struct Registered: Codable { var id: UUID; var status: String }
            return try StoredResponse(status: .created, json: Registered(id: id, status: VolunteerStatus.pending.rawValue))
        }
    }

    /// The public answer to every well-formed sign-up, new or repeated: the same status and
    /// body either way, so the page tells nobody whether an ID number is registered.
    private static func received() throws -> StoredResponse {
        struct Received: Codable { var status = "received"; var detail = "Thank you. The station checks your declaration and contacts you." }
        return try StoredResponse(status: .accepted, json: Received())
    }

    /// An ID number that is already registered. The public page answers as for a new
    /// sign-up and leaves a line in the existing registration's history, where the station
    /// sees the repeated attempt; a station desk (staff, within its area) is told plainly.
    private func repeated(_ volunteer: NewVolunteer, call: UUID, desk: AccessToken?, store: VolunteerStore, on connection: PostgresConnection) async throws -> StoredResponse {
        guard let (existing, community, status) = try await connection.query(
            "SELECT id, community, status FROM volunteers WHERE id_number = \(volunteer.idNumber.value)", logger: dependencies.logger
        ).decode((UUID, String, String).self).collectAll().first else {
            throw ProblemDetails(status: .conflict, detail: "This sign-up collided with another one; please send it again.")
        }
        if let desk {
            let visible = AreaCode(community).map(desk.covers) ?? false
            throw ProblemDetails(
                status: .conflict, title: "Already registered",
                detail: "This ID number is already registered as a volunteer; update that registration instead.",
                related: visible ? "/v1/volunteers/\(existing.uuidString.lowercased())" : nil
            )
        }
        try await store.recordHistory(
            existing, action: "sign-up-repeated", status: VolunteerStatus(rawValue: status) ?? .pending,
            reason: "signed up again through call \(call.uuidString.lowercased())", actor: "public"
        )
        return try Self.received()
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
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = VolunteerStore(connection: connection, logger: dependencies.logger)
            guard var volunteer = try await store.lock(id) else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
            try Scope.requireVisible(access, volunteer.community, what: "volunteer")
            do {
                try volunteer.vetting.apply(action!, reason: reason, declaration: volunteer.declaration)
            } catch {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: "\(error)")
            }
            // Someone who is rejected or withdraws leaves their team, and its lead if they held it.
            if let current = volunteer.team, action == .withdraw || action == .reject {
                let teams = TeamStore(connection: connection, logger: dependencies.logger)
                let leads = try await teams.lockTeams([current])[current]?.leader == id
                var leaving = TeamMembership(team: current, leads: leads, status: .verified)
                for change in (try? leaving.leave(current)) ?? [] {
                    try await teams.apply(change, volunteer: id, community: volunteer.community, actor: access.subject)
                }
                volunteer.team = nil
            }
            try await store.save(id, volunteer, action: action!.rawValue, topic: try Topic(VolunteerVetting.topic(for: action!)), reason: reason, actor: access.subject)
            let vetting = volunteer.vetting
            struct Vetted: Codable { var id: UUID; var status: String; var trained: Bool; var insured: Bool; var eligible: Bool }
            return try StoredResponse(json: Vetted(id: id, status: vetting.status.rawValue, trained: vetting.trained, insured: vetting.insured, eligible: vetting.isEligible))
        }
    }

    // MARK: Health declarations

    /// A new health declaration, by the volunteer themself or by staff on their behalf.
    /// An unfit one takes a volunteer on duty off it at once (``VolunteerVetting/declare(_:)``).
    private func declare(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .volunteer])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
        if access.role == .volunteer && UUID(uuidString: access.subject) != id {
            throw ProblemDetails(status: .forbidden, detail: "A volunteer declares only for themself.")
        }
        let (form, raw) = try await request.readJSON(as: HealthDeclarationForm.self, context: context)
        var validator = FieldValidator()
        let declaration = form.validate(into: &validator, path: "")
        try validator.check()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = VolunteerStore(connection: connection, logger: dependencies.logger)
            guard var volunteer = try await store.lock(id) else { throw ProblemDetails(status: .notFound, detail: "No such volunteer.") }
            if access.role != .volunteer { try Scope.requireVisible(access, volunteer.community, what: "volunteer") }
            let outcome: VolunteerVetting.DeclarationOutcome
            do {
                outcome = try volunteer.vetting.declare(declaration!)
            } catch {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: "\(error)")
            }
            try await store.recordDeclaration(id, declaration!, actor: access.subject)
            switch outcome {
            case .suspended(let reason):
                try await store.save(id, volunteer, action: VettingAction.suspend.rawValue, topic: "intake.volunteer.suspended", reason: reason, actor: access.subject)
            case .awaitingVetting:
                try await store.save(id, volunteer, action: "declare", topic: "intake.volunteer.updated", reason: nil, actor: access.subject)
            case .unchanged:
                try await store.recordHistory(id, action: "declare", status: volunteer.vetting.status, reason: nil, actor: access.subject)
            }
            struct Declared: Codable { var id: UUID; var status: String; var eligible: Bool; var fit: Bool; var unfitReason: String? }
            let unfit = declaration!.unfitReason
            return try StoredResponse(
                status: .created, json: Declared(id: id, status: volunteer.vetting.status.rawValue, eligible: volunteer.vetting.isEligible, fit: unfit == nil, unfitReason: unfit)
            )
        }
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
        var declarations: [DeclarationEntry] = []
        for try await (at, health, actor) in try await dependencies.client.query(
            "SELECT declared_at, health::text, actor FROM volunteer_declarations WHERE volunteer_id = \(id) ORDER BY declared_at", logger: dependencies.logger
        ).decode((Date, String, String).self) {
            let value = (try? JSONParser.parse(Array(health.utf8))) ?? .null
            declarations.append(DeclarationEntry(declaredAt: at, health: value, fit: HealthDeclaration(stored: value).unfitReason == nil, actor: actor))
        }
        return try JSONResponse.make(Detail(volunteer: volunteer, history: history, declarations: declarations))
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
            skills: skills, health: masked ? nil : (try? JSONParser.parse(Array(health.utf8))) ?? .null, createdAt: created
        )
    }
}
