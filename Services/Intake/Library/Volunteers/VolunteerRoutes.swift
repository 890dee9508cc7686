import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Volunteers: public sign-up to a recruitment call, vetting by station staff, and reads
/// scoped to the caller's area (mobile and ID numbers masked in lists).
struct VolunteerRoutes {
    let dependencies: ServiceDependencies
    let signUpLimiter: RateLimiter

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/recruitment-calls/{id}/sign-ups") { request, context in try await signUp(request, context) }
        router.post("/v1/volunteers/{id}/vetting") { request, context in try await vet(request, context) }
        router.post("/v1/volunteers/{id}/health-declarations") { request, context in try await declare(request, context) }
        router.get("/v1/volunteers") { request, _ in try await list(request) }
        router.get("/v1/volunteers/{id}") { request, context in try await detail(request, context) }
    }

    private var queries: VolunteerQueries { VolunteerQueries(client: dependencies.client, logger: dependencies.logger) }

    // MARK: Sign-up

    private func signUp(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        // A station desk registering volunteers sends its staff token: limited per token, not
        // as one anonymous address shared by the whole queue in front of the desk.
        let desk =
            request.headers[.authorization] == nil ? nil : try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        try signUpLimiter.admit(context, token: desk)
        let call = try context.requireUUID("id", what: "recruitment call")
        let (form, raw) = try await request.readJSON(as: SignUpForm.self, context: context)
        let volunteer = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            switch try await VolunteerStore(connection: connection, logger: dependencies.logger).signUp(volunteer, call: call, desk: desk) {
            case .registered(let id) where desk != nil:
                struct Registered: Codable {
                    var id: UUID
                    var status: String
                }
                return try StoredResponse(status: .created, json: Registered(id: id, status: VolunteerStatus.pending.rawValue))
            case .registered, .repeatedQuietly:
                return try Self.received()
            case .alreadyRegistered(let link):
                throw ProblemDetails(
                    status: .conflict, title: "Already registered",
                    detail: "This ID number is already registered as a volunteer; update that registration instead.", related: link
                )
            }
        }
    }

    /// The public answer to every well-formed sign-up, new or repeated: the same status and
    /// body either way, so the page tells nobody whether an ID number is registered.
    private static func received() throws -> StoredResponse {
        struct Received: Codable {
            var status = "received"
            var detail = "Thank you. The station checks your declaration and contacts you."
        }
        return try StoredResponse(status: .accepted, json: Received())
    }

    // MARK: Vetting

    private func vet(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "volunteer")
        let (form, raw) = try await request.readJSON(as: VettingForm.self, context: context)
        let vetting = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = VolunteerStore(connection: connection, logger: dependencies.logger)
            let result = try await store.vet(id, vetting.action, reason: vetting.reason, by: access)
            struct Vetted: Codable {
                var id: UUID
                var status: String
                var trained: Bool
                var insured: Bool
                var eligible: Bool
            }
            let vetted = Vetted(
                id: id, status: result.status.rawValue, trained: result.trained, insured: result.insured, eligible: result.isEligible
            )
            return try StoredResponse(json: vetted)
        }
    }

    // MARK: Health declarations

    /// A new health declaration, by the volunteer themself or by staff on their behalf.
    /// An unfit one takes a volunteer on duty off it at once (``VolunteerVetting/declare(_:)``).
    private func declare(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .volunteer])
        let id = try context.requireUUID("id", what: "volunteer")
        if access.role == .volunteer && UUID(uuidString: access.subject) != id {
            throw ProblemDetails(status: .forbidden, detail: "A volunteer declares only for themself.")
        }
        let (form, raw) = try await request.readJSON(as: HealthDeclarationForm.self, context: context)
        let declaration = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let vetting = try await VolunteerStore(connection: connection, logger: dependencies.logger).declare(id, declaration, by: access)
            struct Declared: Codable {
                var id: UUID
                var status: String
                var eligible: Bool
                var fit: Bool
                var unfitReason: String?
            }
            let unfit = declaration.unfitReason
            return try StoredResponse(
                status: .created,
                json: Declared(id: id, status: vetting.status.rawValue, eligible: vetting.isEligible, fit: unfit == nil, unfitReason: unfit)
            )
        }
    }

    // MARK: Reads

    private func list(_ request: Request) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .dispatcher])
        let query = try ListQuery(request, access: access, statuses: VolunteerStatus.self)
        return try JSONResponse.make(try await queries.page(query))
    }

    private func detail(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "volunteer")
        guard let detail = try await queries.detail(id, visibleTo: access) else {
            throw ProblemDetails(status: .notFound, detail: "No such volunteer.")
        }
        return try JSONResponse.make(detail)
    }
}
