import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// Plans the open shifts of an area and a time window: reads the posts' shifts and the
/// eligible volunteers (verified, trained, insured — intake's table), hands the solver a
/// plain `RosterInstance`, stores its assignments and announces them, with a
/// `matching.shift.shortage` for every shift it could not fill and why.
///
/// Volunteers already rostered within a day of the window are left out of this plan, so a
/// plan never breaks a rule against assignments made earlier; planning again fills only
/// the slots still open.
struct RosterPlanner {
    let connection: PostgresConnection
    let logger: Logger

    struct Outcome: Sendable {
        var plan: UUID
        var solution: RosterSolution
        var shifts: Int
    }

    /// Plans and stores the roster; stored shifts or volunteers the solver cannot read (a
    /// ``RosterInstanceError``) are a 422, since planning again will not help.
    func plan(area: AreaCode, from: Date, to: Date, by actor: String, only shiftIDs: [UUID]? = nil) async throws -> Outcome {
        let instance = try await instance(area: area, from: from, to: to, only: shiftIDs)
        let solution: RosterSolution
        do {
            solution = try RosterSolver().solve(instance)
        } catch {
            throw ProblemDetails(status: .unprocessableContent, detail: "The stored shifts or volunteers cannot be planned: \(error)")
        }
        let plan = UUID()
        try await connection.query(
            """
            INSERT INTO roster_plans (id, area, window_from, window_to, objective, lower_bound, filled, total, planned_by)
            VALUES (\(plan), \(area.rawValue), \(from), \(to), \(solution.objective), \(solution.lowerBound), \(solution.filledSlots),
                    \(solution.totalSlots), \(actor))
            """,
            logger: logger
        )
        let assignments = solution.assignments.compactMap { a in
            UUID(uuidString: a.shiftId).flatMap { s in UUID(uuidString: a.volunteerId).map { (s, $0, a.cost) } }
        }
        try await connection.query(
            """
            INSERT INTO roster_assignments (id, shift_id, volunteer_id, plan_id, cost)
            SELECT gen_random_uuid(), s, v, \(plan), c FROM UNNEST(\(assignments.map(\.0))::uuid[], \(assignments.map(\.1))::uuid[], \(assignments.map(\.2))::int[]) AS t(s, v, c)
            """,
            logger: logger
        )
        let shifts = Dictionary(uniqueKeysWithValues: instance.shifts.map { ($0.id, $0) })
        var events = assignments.map { shift, volunteer, _ in
            MatchingEvents.shiftAssigned(shift, volunteer: volunteer, plan: plan, details: shifts[shift.lowercasedString])
        }
        for empty in solution.unfilled {
            guard let shift = shifts[empty.shiftId] else { continue }
            events.append(MatchingEvents.shiftShortage(shift, unfilled: empty, plan: plan))
        }
        events.append(MatchingEvents.rosterPlanned(plan: plan, area: area, from: from, to: to, solution: solution))
        try await Outbox.append(events, on: connection, logger: logger)
        return Outcome(plan: plan, solution: solution, shifts: instance.shifts.count)
    }

    /// The open slots of the area's shifts starting in the window, and who may fill them.
    func instance(area: AreaCode, from: Date, to: Date, only shiftIDs: [UUID]? = nil) async throws -> RosterInstance {
        // One plan per area at a time: two planners must not fill the same open slots.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("roster:" + area.district.rawValue)))", logger: logger)
        var shifts: [Shift] = []
        var anyDistrict = false
        for try await (id, post, postArea, role, skills, any, starts, ends, open) in try await connection.query(
            """
            SELECT s.id, p.id, p.area, p.role, p.required_skills, p.any_district, s.starts_at, s.ends_at,
                   s.slots - (SELECT count(*) FROM roster_assignments a WHERE a.shift_id = s.id AND a.status <> 'cancelled')::int
            FROM shifts s JOIN posts p ON p.id = s.post_id
            WHERE p.area LIKE \(area.rawValue + "%") AND s.starts_at >= \(from) AND s.starts_at < \(to)
              AND (\(shiftIDs == nil) OR s.id = ANY(\(shiftIDs ?? [])))
            ORDER BY s.starts_at, s.id
            """,
            logger: logger
        ).decode((UUID, UUID, String, String, [String], Bool, Date, Date, Int).self) where open > 0 {
            anyDistrict = anyDistrict || any
            shifts.append(
                Shift(
                    id: id.lowercasedString, postId: post.lowercasedString, area: postArea, role: role, requiredSkills: skills,
                    start: starts, end: ends, slots: open, anyDistrict: any
                ))
        }
        let pattern = anyDistrict ? "%" : area.district.rawValue + "%"
        var volunteers: [Volunteer] = []
        for try await (id, community, skills, team, availability) in try await connection.query(
            """
            SELECT v.id, v.community, v.skills, v.team_id, v.availability::text FROM volunteers v
            WHERE v.status = 'verified' AND v.trained AND v.insured AND v.community LIKE \(pattern)
              AND NOT EXISTS (SELECT 1 FROM roster_assignments a JOIN shifts s ON s.id = a.shift_id
                              WHERE a.volunteer_id = v.id AND a.status <> 'cancelled'
                                AND s.ends_at > \(from.addingTimeInterval(-86_400)) AND s.starts_at < \(to.addingTimeInterval(86_400)))
            ORDER BY v.seq LIMIT 50000
            """,
            logger: logger
        ).decode((UUID, String, [String], UUID?, String).self) {
            volunteers.append(
                Volunteer(
                    id: id.lowercasedString, home: community, skills: skills, team: team?.lowercasedString,
                    availability: Self.windows(availability)
                ))
        }
        return RosterInstance(volunteers: volunteers, shifts: shifts)
    }

    /// Intake's availability windows (`[{"from": …, "to": …}]`).
    static func windows(_ text: String) -> [AvailabilityWindow] {
        guard case .array(let windows) = (try? JSONParser.parse(Array(text.utf8))) ?? .null else { return [] }
        return windows.compactMap { window in
            guard let from = window["from"]?.stringValue.flatMap(Timestamp.parse),
                let to = window["to"]?.stringValue.flatMap(Timestamp.parse), to > from
            else { return nil }
            return AvailabilityWindow(start: from, end: to)
        }
    }

    /// A volunteer can no longer serve (suspended, withdrawn, rejected): their future
    /// assignments are cancelled and only those shifts are planned again, without moving
    /// anyone else. Returns the shifts that were affected.
    @discardableResult
    func refill(after volunteer: UUID, because reason: String) async throws -> [UUID] {
        let cancelled = try await connection.query(
            """
            UPDATE roster_assignments a SET status = 'cancelled' FROM shifts s, posts p
            WHERE a.shift_id = s.id AND s.post_id = p.id AND a.volunteer_id = \(volunteer) AND a.status <> 'cancelled' AND s.starts_at > now()
            RETURNING a.shift_id, p.area, s.starts_at
            """,
            logger: logger
        ).decode((UUID, String, Date).self).collectAll()
        guard !cancelled.isEmpty else { return [] }
        try await Outbox.append(
            cancelled.map { shift, area, _ in MatchingEvents.shiftUnassigned(shift, area: area, volunteer: volunteer, reason: reason) },
            on: connection, logger: logger
        )
        let byDistrict = Dictionary(grouping: cancelled) { AreaCode($0.1)?.district.rawValue ?? "" }
        for (district, shifts) in byDistrict {
            guard let area = AreaCode(district) else { continue }
            let starts = shifts.map(\.2)
            _ = try await plan(
                area: area, from: starts.min()!, to: starts.max()!.addingTimeInterval(1), by: "matching (refill: \(reason))",
                only: shifts.map(\.0)
            )
        }
        return cancelled.map(\.0)
    }
}
