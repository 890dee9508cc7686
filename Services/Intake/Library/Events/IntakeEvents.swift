import EventBus
import Foundation
import Models

/// The events intake announces. Data carries ids, codes, categories and counts only; the
/// fields of each topic are documented in docs/EVENTS.md.
enum IntakeEvents {
    static func callPublished(_ call: UUID, area: AreaCode, roles: [String], headcount: Int, deadline: Date) -> OutboxEvent {
        OutboxEvent(
            topic: "intake.call.published", key: call.uuidString.lowercased(), area: area.rawValue,
            data: .object([
                "callId": .string(call.uuidString.lowercased()), "roles": .array(roles.map(JSONValue.string)),
                "headcount": .number(Double(headcount)), "deadline": .string(Timestamp.format(deadline)),
            ])
        )
    }

    static func volunteer(
        _ topic: Topic, id: UUID, community: AreaCode, team: UUID?, skills: [String], vetting: VolunteerVetting, call: UUID? = nil
    ) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "volunteerId": .string(id.uuidString.lowercased()), "community": .string(community.rawValue),
            "status": .string(vetting.status.rawValue), "trained": .bool(vetting.trained), "insured": .bool(vetting.insured),
            "eligible": .bool(vetting.isEligible), "skills": .array(skills.map(JSONValue.string)),
        ]
        if let team { data["teamId"] = .string(team.uuidString.lowercased()) }
        if let call { data["callId"] = .string(call.uuidString.lowercased()) }
        return OutboxEvent(topic: topic, key: id.uuidString.lowercased(), area: community.rawValue, data: .object(data))
    }

    static func request(_ topic: Topic, _ request: WorkOrderSummary, extra: [String: JSONValue] = [:]) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "requestId": .string(request.id.uuidString.lowercased()), "category": .string(request.category.rawValue),
            "urgency": .string(request.urgency.rawValue), "zone": .string(request.zone.rawValue),
            "compound": .string(request.compound.rawValue), "status": .string(request.status.rawValue),
            "filedBy": .string(request.filedBy.rawValue),
        ]
        data.merge(extra) { $1 }
        return OutboxEvent(topic: topic, key: request.id.uuidString.lowercased(), area: request.compound.rawValue, data: .object(data))
    }

    static func checkinsRecorded(batch: UUID, round: UUID, site: UUID, area: AreaCode, tubes: [String]) -> OutboxEvent {
        OutboxEvent(
            topic: "intake.checkins.recorded", key: batch.uuidString.lowercased(), area: area.rawValue,
            data: .object([
                "batchId": .string(batch.uuidString.lowercased()), "roundId": .string(round.uuidString.lowercased()),
                "siteId": .string(site.uuidString.lowercased()), "count": .number(Double(tubes.count)),
                "tubeBarcodes": .array(tubes.map(JSONValue.string)),
            ])
        )
    }
}

extension IntakeEvents {
    static func team(_ topic: Topic, team: UUID, volunteer: UUID, community: AreaCode, extra: [String: JSONValue] = [:]) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "teamId": .string(team.uuidString.lowercased()), "volunteerId": .string(volunteer.uuidString.lowercased()),
            "community": .string(community.rawValue),
        ]
        data.merge(extra) { $1 }
        return OutboxEvent(topic: topic, key: team.uuidString.lowercased(), area: community.rawValue, data: .object(data))
    }
}
