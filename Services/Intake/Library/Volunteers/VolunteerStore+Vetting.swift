import Foundation
import Models
import ServiceKit

/// Staff's vetting and everyone's health declarations, applied to the locked record: the
/// state machine (``VolunteerVetting``) decides, the store writes and announces.
extension VolunteerStore {
    /// Applies `action` for `access` (within the volunteer's area). Someone who is rejected
    /// or withdraws leaves their team, and its lead if they held it.
    func vet(_ id: UUID, _ action: VettingAction, reason: String?, by access: AccessToken) async throws -> VolunteerVetting {
        var volunteer = try await lockVisible(id, to: access)
        let previous = volunteer.vetting.status
        try volunteer.vetting.apply(action, reason: reason, declaration: volunteer.declaration)
        if let current = volunteer.team, action == .withdraw || action == .reject {
            let teams = TeamStore(connection: connection, logger: logger)
            let leads = try await teams.lockTeams([current])[current]?.leader == id
            var leaving = TeamMembership(team: current, leads: leads, status: .verified)
            for change in (try? leaving.leave(current)) ?? [] {
                try await teams.apply(change, volunteer: id, community: volunteer.community, actor: access.subject)
            }
            volunteer.team = nil
        }
        let topic = VolunteerVetting.topic(for: action)
        try await save(id, volunteer, from: previous, action: action.rawValue, topic: topic, reason: reason, actor: access.subject)
        return volunteer.vetting
    }

    /// Records `declaration` for the volunteer; an unfit one takes a volunteer on duty off it
    /// at once (``VolunteerVetting/declare(_:)``). Staff declare within their area; a
    /// volunteer (already checked to be this one) for themself.
    func declare(_ id: UUID, _ declaration: HealthDeclaration, by access: AccessToken) async throws -> VolunteerVetting {
        var volunteer = try await lockVisible(id, to: access.role == .volunteer ? nil : access)
        let previous = volunteer.vetting.status
        let outcome = try volunteer.vetting.declare(declaration)
        try await recordDeclaration(id, declaration, actor: access.subject)
        switch outcome {
        case .suspended(let reason):
            let action = VettingAction.suspend.rawValue
            try await save(
                id, volunteer, from: previous, action: action, topic: IntakeEvents.volunteerSuspended, reason: reason, actor: access.subject
            )
        case .awaitingVetting:
            try await save(
                id, volunteer, from: previous, action: "declare", topic: IntakeEvents.volunteerUpdated, reason: nil, actor: access.subject)
        case .unchanged:
            try await recordHistory(id, action: "declare", status: volunteer.vetting.status, reason: nil, actor: access.subject)
        }
        return volunteer.vetting
    }

    /// The volunteer locked for a change, when `access` may see them — their area, or the
    /// area of the call they answered (a street vets who answered its call from another street
    /// of the district) — 404 otherwise, as for one who does not exist; `nil` access skips
    /// the area check.
    private func lockVisible(_ id: UUID, to access: AccessToken?) async throws -> Standing {
        guard let volunteer = try await lock(id) else { throw NotFound("volunteer") }
        if let access, !access.covers(volunteer.community) {
            guard let callArea = try await callArea(of: id), access.covers(callArea) else { throw NotFound("volunteer") }
        }
        return volunteer
    }

    /// The area of the call volunteer `id` answered, whose staff see and vet them as well as
    /// their own area's (``VolunteerQueries``); `nil` when unknown.
    func callArea(of id: UUID) async throws -> AreaCode? {
        try await connection.query(
            "SELECT c.area FROM volunteers v JOIN recruitment_calls c ON c.id = v.call_id WHERE v.id = \(id)", logger: logger
        ).decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }
}
