import EventBus
import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Call campaigns (`/v1/campaigns`): "every resident over 80 in this street", spread evenly
/// over the callers, each working their own queue concurrently (`…/next`), recording an
/// outcome per call (`/v1/contacts/{id}/outcome`); a need found becomes a work order, a
/// case that needs more becomes an escalation.
struct CampaignRoutes {
    let dependencies: ServiceDependencies

    struct CampaignInput: Decodable {
        var title: String?
        var area: String?
        var categories: [String]?
        var minimumAge: Int?
        var callers: [String]?
    }

    struct OutcomeInput: Decodable {
        var outcome: String?
        var note: String?
        var need: NeedForm?
        var escalateTo: String?
    }

    struct Created: Codable {
        var id: UUID
        var contacts: Int
        var perCaller: [String: Int]
    }

    struct Progress: Codable {
        struct Caller: Codable { var caller: String; var contacts: Int; var done: Int; var pending: Int }
        var id: UUID
        var title: String
        var area: String
        var contacts: Int
        var done: Int
        var outcomes: [String: Int]
        var callers: [Caller]
    }

    /// What a caller needs to dial: the record is read (and logged) only now.
    struct Call: Codable {
        var contactId: UUID
        var residentId: UUID
        var name: String
        var contactName: String
        var contactPhone: String
        var categories: [String]
        var careLevel: String
        var attempts: Int
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/campaigns") { request, context in try await create(request, context) }
        router.get("/v1/campaigns/{id}") { request, context in try await progress(request, context) }
        router.post("/v1/campaigns/{id}/next") { request, context in try await next(request, context) }
        router.post("/v1/contacts/{id}/outcome") { request, context in try await record(request, context) }
    }

    private func create(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (input, raw) = try await request.readJSON(as: CampaignInput.self, context: context)
        var validator = FieldValidator()
        let title = validator.text(input.title, "title", maxLength: 200)
        let area = validator.area(input.area, "area")
        var categories: [String] = []
        for (index, text) in (input.categories ?? []).enumerated() {
            if let category: VulnerabilityCategory = validator.oneOf(text, "categories/\(index)") { categories.append(category.rawValue) }
        }
        let minimumAge = validator.range(input.minimumAge, "minimumAge", 0...130, optional: true)
        let callers = Array(Set((input.callers ?? []).filter { !$0.isEmpty })).sorted()
        if !(1...500).contains(callers.count) { validator.fail("callers", "name 1–500 callers (the subjects of their tokens)") }
        if callers.contains(where: { $0.count > 64 }) { validator.fail("callers", "a caller is the subject of their token, at most 64 characters") }
        try validator.check()
        try Scope.require(access, covers: area!)
        let wanted = categories
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            let categories = wanted
            let year = Calendar(identifier: .gregorian).component(.year, from: Date())
            let targets = try await connection.query(
                """
                SELECT id FROM outreach_residents
                WHERE compound LIKE \(area!.rawValue + "%") AND status = 'active' AND consent
                  AND (cardinality(\(categories)::text[]) = 0 OR categories && \(categories)::text[])
                  AND (\(minimumAge ?? -1) < 0 OR birth_year <= \(year - (minimumAge ?? 0)))
                ORDER BY compound, seq
                """,
                logger: logger
            ).decode(UUID.self).collectAll()
            guard !targets.isEmpty else {
                throw ProblemDetails.validation([.init(field: "area", message: "no resident on the registry matches this campaign")])
            }
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO outreach_campaigns (id, title, area, categories, minimum_age, created_by)
                VALUES (\(id), \(title!), \(area!.rawValue), \(categories), \(minimumAge), \(access.subject))
                """,
                logger: logger
            )
            let split = CampaignDistribution.assign(targets, to: callers)
            let residents = split.flatMap(\.contacts), owners = split.flatMap { part in part.contacts.map { _ in part.caller } }
            try await connection.query(
                """
                INSERT INTO outreach_contacts (id, campaign_id, resident_id, caller)
                SELECT gen_random_uuid(), \(id), r, c FROM UNNEST(\(residents)::uuid[], \(owners)::text[]) AS t(r, c)
                """,
                logger: logger
            )
            try await Outbox.append(
                OutboxEvent(topic: "outreach.campaign.created", key: id.uuidString.lowercased(), area: area!.rawValue, data: .object([
                    "campaignId": .string(id.uuidString.lowercased()), "area": .string(area!.rawValue), "contacts": .number(Double(targets.count)),
                    "callers": .number(Double(callers.count)), "categories": .array(categories.map(JSONValue.string)),
                ])),
                on: connection, logger: logger
            )
            try await connection.query(
                "INSERT INTO outreach_campaign_callers (campaign_id, caller) SELECT \(id), c FROM UNNEST(\(callers)::text[]) AS c", logger: logger
            )
            let perCaller = Dictionary(uniqueKeysWithValues: split.map { ($0.caller, $0.contacts.count) })
            return try StoredResponse(status: .created, json: Created(id: id, contacts: targets.count, perCaller: perCaller))
        }
    }

    private func progress(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff, .caller])
        guard let id = context.parameters.get("id", as: UUID.self),
            let (title, areaText) = try await dependencies.client.query("SELECT title, area FROM outreach_campaigns WHERE id = \(id)", logger: dependencies.logger)
                .decode((String, String).self).collectAll().first, let area = AreaCode(areaText)
        else { throw ProblemDetails(status: .notFound, detail: "No such campaign.") }
        // A caller inside the campaign's area sees their own row of it.
        let insider = access.area.map { area.contains($0) } ?? false
        guard access.covers(area) || insider else { throw ProblemDetails(status: .notFound, detail: "No such campaign.") }
        let onlyCaller = access.covers(area) ? "" : access.subject
        var callers: [Progress.Caller] = [], outcomes: [String: Int] = [:]
        for try await (caller, contacts, done, pending) in try await dependencies.client.query(
            """
            SELECT caller, count(*)::int, count(*) FILTER (WHERE status = 'done')::int, count(*) FILTER (WHERE status <> 'done')::int
            FROM outreach_contacts WHERE campaign_id = \(id) AND (\(onlyCaller) = '' OR caller = \(onlyCaller)) GROUP BY caller ORDER BY caller
            """,
            logger: dependencies.logger
        ).decode((String, Int, Int, Int).self) {
            callers.append(.init(caller: caller, contacts: contacts, done: done, pending: pending))
        }
        for try await (outcome, count) in try await dependencies.client.query(
            "SELECT outcome, count(*)::int FROM outreach_contacts WHERE campaign_id = \(id) AND outcome IS NOT NULL GROUP BY outcome", logger: dependencies.logger
        ).decode((String, Int).self) {
            outcomes[outcome] = count
        }
        return try JSONResponse.make(Progress(
            id: id, title: title, area: areaText, contacts: callers.reduce(0) { $0 + $1.contacts }, done: callers.reduce(0) { $0 + $1.done },
            outcomes: outcomes, callers: callers
        ))
    }

    /// The caller's next contact: the one they hold already (asking again renews its lease),
    /// else their own queue (due attempts, in order), else the pool — contacts whose lease
    /// ran out, and the queues of callers idle for half an hour, which the taker inherits.
    /// Rows are taken with SKIP LOCKED, so two callers asking at once never get the same
    /// contact; the database's clock decides what is due.
    private func next(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.caller, .staff])
        guard let campaign = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such campaign.") }
        let call = try await dependencies.client.transaction(logger: dependencies.logger) { connection -> Call? in
            let logger = dependencies.logger
            let caller = access.subject
            guard let area = try await connection.query("SELECT area FROM outreach_campaigns WHERE id = \(campaign)", logger: logger)
                .decode(String.self).collectAll().first.flatMap(AreaCode.init), access.covers(area) || (access.area.map { area.contains($0) } ?? false)
            else { throw ProblemDetails(status: .notFound, detail: "No such campaign.") }
            try await connection.query(
                """
                INSERT INTO outreach_campaign_callers (campaign_id, caller) VALUES (\(campaign), \(caller))
                ON CONFLICT (campaign_id, caller) DO UPDATE SET last_seen_at = now()
                """,
                logger: logger
            )
            guard let row = try await connection.query(
                """
                SELECT c.id, c.resident_id, c.status, c.attempts, c.next_attempt_at, c.claimed_by, c.claimed_until, now()
                FROM outreach_contacts c JOIN outreach_residents r ON r.id = c.resident_id
                WHERE c.campaign_id = \(campaign) AND r.compound LIKE \(access.areaPattern) AND r.status = 'active' AND r.consent
                  AND ((c.status = 'claimed' AND (c.claimed_by = \(caller) OR c.claimed_until <= now()))
                    OR (c.status = 'pending' AND c.next_attempt_at <= now() AND (c.caller = \(caller) OR c.caller IN (
                          SELECT caller FROM outreach_campaign_callers WHERE campaign_id = \(campaign) AND last_seen_at < now() - interval '30 minutes'))))
                ORDER BY (c.status = 'claimed' AND c.claimed_by = \(caller)) DESC, (c.status = 'pending' AND c.caller = \(caller)) DESC,
                         c.next_attempt_at, c.seq
                LIMIT 1 FOR UPDATE OF c SKIP LOCKED
                """,
                logger: logger
            ).decode((UUID, UUID, String, Int, Date, String?, Date?, Date).self).collectAll().first else { return nil }
            var progress = ContactProgress(
                status: ContactProgress.Status(rawValue: row.2) ?? .pending, attempts: row.3, nextAttemptAt: row.4, claimedBy: row.5, claimedUntil: row.6
            )
            do throws(ContactProgress.Refusal) {
                try progress.claim(by: caller, now: row.7)
            } catch {
                return nil
            }
            try await connection.query(
                """
                UPDATE outreach_contacts SET status = 'claimed', caller = \(caller), claimed_by = \(caller), claimed_until = \(progress.claimedUntil), updated_at = now()
                WHERE id = \(row.0)
                """,
                logger: logger
            )
            guard let (name, contactName, phone, categories, careLevel) = try await connection.query(
                "SELECT name, contact_name, contact_phone, categories, care_level FROM outreach_residents WHERE id = \(row.1)", logger: logger
            ).decode((String, String, String, [String], String).self).collectAll().first else { return nil }
            try await connection.query(
                "INSERT INTO outreach_record_reads (resident_id, reader, role, reason) VALUES (\(row.1), \(caller), \(access.role.rawValue), \("campaign call " + campaign.uuidString.lowercased()))",
                logger: logger
            )
            return Call(contactId: row.0, residentId: row.1, name: name, contactName: contactName, contactPhone: phone, categories: categories, careLevel: careLevel, attempts: row.3)
        }
        guard let call else { return Response(status: .noContent) }
        return try JSONResponse.make(call)
    }

    private func record(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.caller, .staff])
        guard let id = context.parameters.get("id", as: UUID.self) else { throw ProblemDetails(status: .notFound, detail: "No such contact.") }
        let (input, raw) = try await request.readJSON(as: OutcomeInput.self, context: context)
        var validator = FieldValidator()
        let outcome: ContactProgress.Outcome? = validator.oneOf(input.outcome, "outcome")
        let note = validator.text(input.note, "note", maxLength: 1000, optional: true)
        let escalateTo: EscalationTarget? = validator.oneOf(input.escalateTo, "escalateTo", optional: outcome != .needsEscalation)
        if outcome != .needsEscalation && input.escalateTo != nil { validator.fail("escalateTo", "only with the outcome needs-escalation") }
        if outcome == .reachedWithNeeds && input.need == nil { validator.fail("need", "a call that found needs says what they are") }
        if outcome != .reachedWithNeeds && input.need != nil { validator.fail("need", "only with the outcome reached-with-needs") }
        try validator.check()
        let need = outcome == .reachedWithNeeds ? try input.need?.validated() : nil
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let logger = dependencies.logger
            guard let row = try await connection.query(
                """
                SELECT c.status, c.attempts, c.next_attempt_at, c.claimed_by, c.claimed_until, c.resident_id, r.compound, r.care_level
                FROM outreach_contacts c JOIN outreach_residents r ON r.id = c.resident_id WHERE c.id = \(id) FOR UPDATE OF c
                """,
                logger: logger
            ).decode((String, Int, Date, String?, Date?, UUID, String, String).self).collectAll().first, let compound = AreaCode(row.6) else {
                throw ProblemDetails(status: .notFound, detail: "No such contact.")
            }
            try Scope.requireVisible(access, compound, what: "contact")
            var progress = ContactProgress(
                status: ContactProgress.Status(rawValue: row.0) ?? .pending, attempts: row.1, nextAttemptAt: row.2, claimedBy: row.3, claimedUntil: row.4
            )
            let now = try await connection.query("SELECT now()", logger: logger).decode(Date.self).collectAll().first ?? Date()
            do throws(ContactProgress.Refusal) {
                try progress.record(outcome!, by: access.subject, now: now)
            } catch let refusal {
                throw ProblemDetails(status: .conflict, title: "Not possible now", detail: refusal.description)
            }
            try await connection.query(
                """
                UPDATE outreach_contacts SET status = \(progress.status.rawValue), attempts = \(progress.attempts), next_attempt_at = \(progress.nextAttemptAt),
                       claimed_by = NULL, claimed_until = NULL, outcome = \(progress.outcome?.rawValue), updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            let resident = row.5
            try await FollowUpStore(connection: connection, logger: logger).recordCall(
                resident: resident, contact: id, caller: access.subject, kind: "campaign", outcome: outcome!.rawValue, note: note, area: compound,
                careLevel: CareLevel(rawValue: row.7) ?? .medium, finalAttempt: progress.status == .done
            )
            try await connection.query(
                "UPDATE outreach_campaign_callers SET last_seen_at = now() WHERE caller = \(access.subject) AND campaign_id = (SELECT campaign_id FROM outreach_contacts WHERE id = \(id))",
                logger: logger
            )
            var needID: UUID?, escalationID: UUID?
            if let need {
                needID = try await NeedStore(connection: connection, logger: logger).identify(need, resident: resident, compound: compound, foundBy: access.subject)
            }
            if let escalateTo {
                escalationID = try await EscalationStore(connection: connection, logger: logger).escalate(
                    resident: resident, to: escalateTo, reason: note ?? "found on a campaign call", by: access.subject, area: compound
                )
            }
            struct Recorded: Codable { var contactId: UUID; var status: String; var attempts: Int; var nextAttemptAt: Date?; var needId: UUID?; var escalationId: UUID? }
            return try StoredResponse(json: Recorded(
                contactId: id, status: progress.status.rawValue, attempts: progress.attempts,
                nextAttemptAt: progress.status == .pending ? progress.nextAttemptAt : nil, needId: needID, escalationId: escalationID
            ))
        }
    }
}
