import EventBus
import Foundation
import Models

/// The events intake announces. Data carries ids, codes, categories and counts only; the
/// fields of each topic are documented in docs/EVENTS.md.
enum IntakeEvents: EventCatalogue {
    static let stream = "intake"

    static let callPublished: Topic = "intake.call.published"
    /// A call's title, roles, headcount, deadline or headcount rule changed.
    static let callUpdated: Topic = "intake.call.updated"
    /// A call stopped taking sign-ups before its deadline.
    static let callClosed: Topic = "intake.call.closed"
    static let volunteerRegistered: Topic = "intake.volunteer.registered"
    static let volunteerVerified: Topic = "intake.volunteer.verified"
    static let volunteerRejected: Topic = "intake.volunteer.rejected"
    static let volunteerSuspended: Topic = "intake.volunteer.suspended"
    static let volunteerReinstated: Topic = "intake.volunteer.reinstated"
    static let volunteerWithdrawn: Topic = "intake.volunteer.withdrawn"
    /// Training or insurance recorded, or a rejected volunteer back in the vetting queue.
    static let volunteerUpdated: Topic = "intake.volunteer.updated"
    static let teamMemberJoined: Topic = "intake.team.member-joined"
    static let teamMemberLeft: Topic = "intake.team.member-left"
    static let teamLeaderAppointed: Topic = "intake.team.leader-appointed"
    static let requestCreated: Topic = "intake.request.created"
    static let requestCancelled: Topic = "intake.request.cancelled"
    static let requestMerged: Topic = "intake.request.merged"
    /// Another service's event moved the request on.
    static let requestStatusChanged: Topic = "intake.request.status-changed"
    static let checkinsRecorded: Topic = "intake.checkins.recorded"
    /// A pooled tube tested positive: its residents are to be re-tested one by one.
    static let tubePositive: Topic = "intake.tube.positive"

    static let topics: [Topic] = [
        callPublished, volunteerRegistered, volunteerVerified, volunteerRejected, volunteerSuspended, volunteerReinstated,
        volunteerWithdrawn, volunteerUpdated, teamMemberJoined, teamMemberLeft, teamLeaderAppointed, requestCreated,
        requestCancelled, requestMerged, requestStatusChanged, checkinsRecorded,
        callUpdated, callClosed, tubePositive,
    ]

    static func call(_ call: UUID, area: AreaCode, roles: [String], headcount: Int, deadline: Date) -> OutboxEvent {
        OutboxEvent(
            topic: callPublished, key: call.lowercasedString, area: area.rawValue,
            data: .object([
                "callId": .string(call.lowercasedString), "roles": .array(roles.map(JSONValue.string)),
                "headcount": .number(Double(headcount)), "deadline": .string(Timestamp.format(deadline)),
            ])
        )
    }

    static func volunteer(
        _ topic: Topic, id: UUID, community: AreaCode, team: UUID?, skills: [String], vetting: VolunteerVetting, call: UUID? = nil
    ) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "volunteerId": .string(id.lowercasedString), "community": .string(community.rawValue),
            "status": .string(vetting.status.rawValue), "trained": .bool(vetting.trained), "insured": .bool(vetting.insured),
            "eligible": .bool(vetting.isEligible), "skills": .array(skills.map(JSONValue.string)),
        ]
        if let team { data["teamId"] = .string(team.lowercasedString) }
        if let call { data["callId"] = .string(call.lowercasedString) }
        return OutboxEvent(topic: topic, key: id.lowercasedString, area: community.rawValue, data: .object(data))
    }

    static func request(_ topic: Topic, _ request: WorkOrderSummary, extra: [String: JSONValue] = [:]) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "requestId": .string(request.id.lowercasedString), "category": .string(request.category.rawValue),
            "urgency": .string(request.urgency.rawValue), "zone": .string(request.zone.rawValue),
            "compound": .string(request.compound.rawValue), "status": .string(request.status.rawValue),
            "filedBy": .string(request.filedBy.rawValue),
        ]
        data.merge(extra) { $1 }
        return OutboxEvent(topic: topic, key: request.id.lowercasedString, area: request.compound.rawValue, data: .object(data))
    }

    /// `residents` check-ins accepted at `site`, in `tubes` (fewer than the residents when
    /// samples are pooled).
    static func checkins(batch: UUID, round: UUID, site: UUID, area: AreaCode, residents: Int, tubes: [String]) -> OutboxEvent {
        OutboxEvent(
            topic: checkinsRecorded, key: batch.lowercasedString, area: area.rawValue,
            data: .object([
                "batchId": .string(batch.lowercasedString), "roundId": .string(round.lowercasedString),
                "siteId": .string(site.lowercasedString), "count": .number(Double(residents)),
                "tubeBarcodes": .array(tubes.map(JSONValue.string)),
            ])
        )
    }
}

extension IntakeEvents {
    static func team(_ topic: Topic, team: UUID, volunteer: UUID, community: AreaCode, extra: [String: JSONValue] = [:]) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "teamId": .string(team.lowercasedString), "volunteerId": .string(volunteer.lowercasedString),
            "community": .string(community.rawValue),
        ]
        data.merge(extra) { $1 }
        return OutboxEvent(topic: topic, key: team.lowercasedString, area: community.rawValue, data: .object(data))
    }
}

extension IntakeEvents {
    /// A call edited or closed: its current terms (`closedAt` once closed).
    static func call(
        _ topic: Topic, _ call: UUID, area: AreaCode, roles: [String], headcount: Int, enforceHeadcount: Bool, deadline: Date,
        closedAt: Date?
    ) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "callId": .string(call.lowercasedString), "roles": .array(roles.map(JSONValue.string)),
            "headcount": .number(Double(headcount)), "enforceHeadcount": .bool(enforceHeadcount),
            "deadline": .string(Timestamp.format(deadline)),
        ]
        if let closedAt { data["closedAt"] = .string(Timestamp.format(closedAt)) }
        return OutboxEvent(topic: topic, key: call.lowercasedString, area: area.rawValue, data: .object(data))
    }

    /// A tube tested positive: which tube, round and site, and how many residents to re-test
    /// (never who they are).
    static func positiveTube(_ tube: String, round: UUID, site: UUID, area: AreaCode, residents: Int) -> OutboxEvent {
        OutboxEvent(
            topic: tubePositive, key: tube, area: area.rawValue,
            data: .object([
                "tubeBarcode": .string(tube), "roundId": .string(round.lowercasedString), "siteId": .string(site.lowercasedString),
                "residents": .number(Double(residents)),
            ])
        )
    }
}
