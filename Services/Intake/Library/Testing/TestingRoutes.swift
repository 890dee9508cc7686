import Foundation
import Hummingbird
import Models
import PostgresNIO
import ServiceKit
import Store

/// Testing rounds (全员核酸), their sites, check-ins from sampling-point devices (one, or
/// batches of up to 500 with a result per item), and a round's progress.
struct TestingRoutes {
    let dependencies: ServiceDependencies
    let writer: CheckinWriter
    static let maximumBatch = 500

    struct RoundInput: Decodable {
        var name: String?
        var area: String?
        var startsAt: String?
        var endsAt: String?
    }

    struct SiteInput: Decodable {
        var area: String?
        var name: String?
        var opensAt: String?
        var closesAt: String?
        var expectedPopulation: Int?
    }

    /// Either one check-in or `{"items": [...]}`.
    struct CheckinBody {
        var items: [CheckinInput]
        var single: Bool

        init(bytes: [UInt8]) throws(ProblemDetails) {
            let json: JSONValue
            do {
                json = try JSONParser.parse(bytes)
            } catch {
                throw ProblemDetails(status: .badRequest, title: "Unreadable body", detail: "The body is not JSON: \(error)")
            }
            guard case .object(let members) = json else {
                throw ProblemDetails(status: .badRequest, title: "Unreadable body", detail: "The body must be a check-in or {\"items\": [...]}.")
            }
            if let items = members["items"] {
                guard case .array(let elements) = items else {
                    throw ProblemDetails.validation([.init(field: "items", message: "must be an array of check-ins")])
                }
                self.items = elements.map(CheckinInput.init(json:))
                single = false
            } else {
                self.items = [CheckinInput(json: json)]
                single = true
            }
        }
    }

    /// A batch's answer: counts, then one result per item in the order sent.
    struct BatchAnswer: Codable {
        var accepted: Int
        var duplicates: Int
        var invalid: Int
        var results: [CheckinResult]

        init(_ results: [CheckinResult]) {
            self.results = results
            accepted = results.count { $0.status == .accepted }
            duplicates = results.count { $0.status == .duplicate }
            invalid = results.count { $0.status == .invalid }
        }

        /// The answer as JSON, written by hand: `JSONEncoder` took a tenth of a surge's CPU
        /// on answers of 500 items.
        var json: [UInt8] {
            var text = "{\"accepted\":\(accepted),\"duplicates\":\(duplicates),\"invalid\":\(invalid),\"results\":["
            text.reserveCapacity(64 + results.count * 40)
            for (position, result) in results.enumerated() {
                if position > 0 { text += "," }
                text += "{\"index\":\(result.index),\"status\":\"\(result.status.rawValue)\""
                if let reason = result.reason { text += ",\"reason\":" + EnvelopeWriter.quoted(reason) }
                text += "}"
            }
            text += "]}"
            return Array(text.utf8)
        }
    }

    struct Progress: Codable {
        struct Site: Codable { var siteId: UUID; var name: String; var area: String; var expected: Int; var checkedIn: Int }
        struct Area: Codable { var area: String; var expected: Int; var checkedIn: Int }
        var roundId: UUID
        var expected: Int
        var checkedIn: Int
        var sites: [Site]
        var streets: [Area]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/testing-rounds") { request, context in try await createRound(request, context) }
        router.post("/v1/testing-rounds/{id}/sites") { request, context in try await createSite(request, context) }
        router.post("/v1/checkins") { request, context in try await checkIn(request, context) }
        router.get("/v1/testing-rounds/{id}/progress") { request, context in try await progress(request, context) }
    }

    private func createRound(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: RoundInput.self, context: context)
        var validator = FieldValidator()
        let name = validator.text(input.name, "name", maxLength: 100)
        let area = validator.area(input.area, "area")
        let starts = input.startsAt.flatMap(Timestamp.parse), ends = input.endsAt.flatMap(Timestamp.parse)
        if starts == nil { validator.fail("startsAt", "must be an RFC 3339 time") }
        if ends == nil { validator.fail("endsAt", "must be an RFC 3339 time") }
        if let starts, let ends, ends <= starts { validator.fail("endsAt", "must be after startsAt") }
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
            let id = UUID()
            try await connection.query(
                "INSERT INTO testing_rounds (id, name, area, starts_at, ends_at) VALUES (\(id), \(name!), \(area!.rawValue), \(starts!), \(ends!))",
                logger: dependencies.logger
            )
            struct Created: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func createSite(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        guard let round = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such round.") }
        let (input, raw) = try await request.readJSON(as: SiteInput.self, context: context)
        var validator = FieldValidator()
        let area = validator.area(input.area, "area")
        let name = validator.text(input.name, "name", maxLength: 100)
        let opens = validator.text(input.opensAt, "opensAt", maxLength: 5), closes = validator.text(input.closesAt, "closesAt", maxLength: 5)
        for (field, value) in [("opensAt", opens), ("closesAt", closes)] where value != nil && !Self.isClockTime(value!) {
            validator.fail(field, "must be a time of day like 07:30")
        }
        let expected = validator.range(input.expectedPopulation, "expectedPopulation", 1...5_000_000)
        try validator.check()
        try Scope.require(access, covers: area!)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            try await AreaDirectory(connection: connection, logger: dependencies.logger).requireKnown([("area", area)])
            guard let roundArea = try await connection.query(
                "SELECT area FROM testing_rounds WHERE id = \(round)", logger: dependencies.logger
            ).decode(String.self).collectAll().first.flatMap(AreaCode.init) else {
                throw ProblemDetails(status: .notFound, detail: "No such round.")
            }
            // The site is in the caller's area (checked above) and inside the round's.
            guard roundArea.contains(area!) else {
                throw ProblemDetails.validation([.init(field: "area", message: "must lie inside the round's area \(roundArea.rawValue)")])
            }
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO testing_sites (id, round_id, area, name, opens_at, closes_at, expected_population)
                VALUES (\(id), \(round), \(area!.rawValue), \(name!), \(opens!), \(closes!), \(expected!))
                """,
                logger: dependencies.logger
            )
            struct Created: Codable { var id: UUID }
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    static func isClockTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), parts[1].count == 2 else { return false }
        return (0...23).contains(hour) && (0...59).contains(minute)
    }

    private func checkIn(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.device, .staff, .operator])
        let raw = try await request.bodyBytes(context: context)
        let body = try CheckinBody(bytes: raw)
        guard (1...Self.maximumBatch).contains(body.items.count) else {
            throw ProblemDetails.validation([.init(field: "items", message: "a batch holds 1–\(Self.maximumBatch) check-ins, got \(body.items.count)")])
        }
        var results: [Int: CheckinResult] = [:]
        var valid: [Checkin] = []
        for (index, item) in body.items.enumerated() {
            switch item.validated(index: index) {
            case .success(let checkin): valid.append(checkin)
            case .failure(let problem):
                // A single post is answered like any other write: 422 with its fields.
                if body.single { throw ProblemDetails.validation(problem.fields.map { .init(field: $0.field, message: $0.message) }) }
                results[index] = CheckinResult(index: index, status: .invalid, reason: problem.description)
            }
        }
        let checked = valid, rejected = results
        // A single post without an idempotency key shares a transaction with its neighbours.
        if body.single, request.headers[.init("Idempotency-Key")!] == nil, let checkin = checked.first {
            let result = try await writer.submit(checkin, scope: access)
            if result.status == .invalid { throw ProblemDetails.validation([.init(field: "siteId", message: result.reason ?? "invalid")]) }
            return try StoredResponse(status: result.status == .accepted ? .created : .ok, json: result).response
        }
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let store = CheckinStore(connection: connection, logger: dependencies.logger)
            let sites = try await store.sites(Set(checked.map(\.site)))
            var results = rejected
            var acceptable: [Checkin] = []
            for checkin in checked {
                if let problem = CheckinStore.problem(with: checkin, sites: sites, scope: access) {
                    results[checkin.index] = CheckinResult(index: checkin.index, status: .invalid, reason: problem)
                } else {
                    acceptable.append(checkin)
                }
            }
            for result in try await store.record(acceptable, sites: sites) { results[result.index] = result }
            let ordered = (0..<body.items.count).map { results[$0]! }
            if body.single {
                if ordered[0].status == .invalid {
                    throw ProblemDetails.validation([.init(field: "siteId", message: ordered[0].reason ?? "invalid")])
                }
                return try StoredResponse(status: ordered[0].status == .accepted ? .created : .ok, json: ordered[0])
            }
            return StoredResponse(status: .ok, body: BatchAnswer(ordered).json)
        }
    }

    private func progress(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .device])
        guard let round = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such round.") }
        var sites: [Progress.Site] = []
        for try await (id, name, area, expected, checkedIn) in try await dependencies.client.query(
            """
            SELECT s.id, s.name, s.area, s.expected_population,
                   (SELECT count(*)::int FROM checkins c WHERE c.site_id = s.id)
            FROM testing_sites s WHERE s.round_id = \(round) AND s.area LIKE \(access.areaPattern) ORDER BY s.area, s.name
            """,
            logger: dependencies.logger
        ).decode((UUID, String, String, Int, Int).self) {
            sites.append(Progress.Site(siteId: id, name: name, area: area, expected: expected, checkedIn: checkedIn))
        }
        let streets = Dictionary(grouping: sites) { AreaCode($0.area)?.street?.rawValue ?? $0.area }
            .map { Progress.Area(area: $0.key, expected: $0.value.reduce(0) { $0 + $1.expected }, checkedIn: $0.value.reduce(0) { $0 + $1.checkedIn }) }
            .sorted { $0.area < $1.area }
        return try JSONResponse.make(Progress(
            roundId: round, expected: sites.reduce(0) { $0 + $1.expected }, checkedIn: sites.reduce(0) { $0 + $1.checkedIn },
            sites: sites, streets: streets
        ))
    }
}
