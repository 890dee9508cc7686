import EventBus
import Foundation
import Models

/// The events outreach announces. Data carries ids, codes and categories only — never a
/// name, number or address (a notice's published text is the one public exception); the
/// fields of each topic are documented in docs/EVENTS.md.
enum OutreachEvents: EventCatalogue {
    static let stream = "outreach"

    static let residentRegistered: Topic = "outreach.resident.registered"
    static let needIdentified: Topic = "outreach.need.identified"
    static let campaignCreated: Topic = "outreach.campaign.created"
    static let followUpCompleted: Topic = "outreach.followup.completed"
    static let followUpOverdue: Topic = "outreach.followup.overdue"
    static let caseEscalated: Topic = "outreach.case.escalated"
    static let noticePublished: Topic = "outreach.notice.published"
    static let residentUpdated: Topic = "outreach.resident.updated"
    static let residentClosed: Topic = "outreach.resident.closed"
    static let residentReopened: Topic = "outreach.resident.reopened"

    static let topics: [Topic] = [
        residentRegistered, needIdentified, campaignCreated, followUpCompleted, followUpOverdue, caseEscalated, noticePublished,
        residentUpdated, residentClosed, residentReopened,
    ]

    static func residentRegistered(_ id: UUID, _ resident: VulnerableResident) -> OutboxEvent {
        OutboxEvent(
            topic: residentRegistered, key: id.lowercasedString, area: resident.compound.rawValue,
            data: .object([
                "residentId": .string(id.lowercasedString), "compound": .string(resident.compound.rawValue),
                "categories": .array(resident.categories.map { .string($0.rawValue) }), "careLevel": .string(resident.careLevel.rawValue),
            ])
        )
    }

    /// The contract intake turns into a request: intake reads the contact and address from
    /// outreach's tables by `needId`, so they never travel on the bus.
    static func needIdentified(_ id: UUID, resident: UUID, compound: AreaCode, _ need: IdentifiedNeed) -> OutboxEvent {
        OutboxEvent(
            topic: needIdentified, key: id.lowercasedString, area: compound.rawValue,
            data: .object([
                "needId": .string(id.lowercasedString), "residentId": .string(resident.lowercasedString),
                "category": .string(need.category.rawValue), "urgency": .string(need.urgency.rawValue),
                "zone": .string(need.zone.rawValue), "compound": .string(compound.rawValue), "source": .string(need.source.rawValue),
            ])
        )
    }

    /// Counts only: who is called stays in outreach.
    static func campaignCreated(_ id: UUID, _ campaign: NewCampaign, contacts: Int) -> OutboxEvent {
        OutboxEvent(
            topic: campaignCreated, key: id.lowercasedString, area: campaign.area.rawValue,
            data: .object([
                "campaignId": .string(id.lowercasedString), "area": .string(campaign.area.rawValue), "contacts": .number(Double(contacts)),
                "callers": .number(Double(campaign.callers.count)), "categories": .array(campaign.categories.map { .string($0.rawValue) }),
            ])
        )
    }

    /// A follow-up done; with `need` and `request` when it followed up a fulfilled need, so
    /// intake marks that request followed up.
    static func followUpCompleted(resident: UUID, compound: AreaCode, need: (id: UUID, request: UUID)?) -> OutboxEvent {
        var data: [String: JSONValue] = ["residentId": .string(resident.lowercasedString), "compound": .string(compound.rawValue)]
        if let need {
            data["needId"] = .string(need.id.lowercasedString)
            data["requestId"] = .string(need.request.lowercasedString)
        }
        return OutboxEvent(topic: followUpCompleted, key: resident.lowercasedString, area: compound.rawValue, data: .object(data))
    }

    static func followUpOverdue(resident: UUID, compound: String, careLevel: String, due: Date) -> OutboxEvent {
        OutboxEvent(
            topic: followUpOverdue, key: resident.lowercasedString, area: compound,
            data: .object([
                "residentId": .string(resident.lowercasedString), "compound": .string(compound), "careLevel": .string(careLevel),
                "dueAt": .string(Timestamp.format(due)),
            ])
        )
    }

    /// Who, where and to whom: the reason and the case history stay in outreach.
    static func caseEscalated(_ id: UUID, resident: UUID, to target: EscalationTarget, area: AreaCode) -> OutboxEvent {
        OutboxEvent(
            topic: caseEscalated, key: resident.lowercasedString, area: area.rawValue,
            data: .object([
                "escalationId": .string(id.lowercasedString), "residentId": .string(resident.lowercasedString),
                "to": .string(target.rawValue), "compound": .string(area.rawValue),
            ])
        )
    }

    /// An edited record: the names of the fields that changed, never their values; the
    /// compound it left when it moved (`area` is the new one).
    static func residentUpdated(_ id: UUID, _ resident: VulnerableResident, changed: [String], previousCompound: AreaCode) -> OutboxEvent {
        var data: [String: JSONValue] = [
            "residentId": .string(id.lowercasedString), "compound": .string(resident.compound.rawValue),
            "categories": .array(resident.categories.map { .string($0.rawValue) }), "careLevel": .string(resident.careLevel.rawValue),
            "changed": .array(changed.map(JSONValue.string)),
        ]
        if previousCompound != resident.compound { data["previousCompound"] = .string(previousCompound.rawValue) }
        return OutboxEvent(topic: residentUpdated, key: id.lowercasedString, area: resident.compound.rawValue, data: .object(data))
    }

    /// A record closed, with the reason's code (the note stays in outreach).
    static func residentClosed(_ id: UUID, compound: AreaCode, reason: ClosureReason) -> OutboxEvent {
        OutboxEvent(
            topic: residentClosed, key: id.lowercasedString, area: compound.rawValue,
            data: .object([
                "residentId": .string(id.lowercasedString), "compound": .string(compound.rawValue), "reason": .string(reason.rawValue),
            ])
        )
    }

    /// A closed record opened again, as registered: who is watched over once more.
    static func residentReopened(_ id: UUID, compound: String, categories: [String], careLevel: String) -> OutboxEvent {
        OutboxEvent(
            topic: residentReopened, key: id.lowercasedString, area: compound,
            data: .object([
                "residentId": .string(id.lowercasedString), "compound": .string(compound),
                "categories": .array(categories.map(JSONValue.string)), "careLevel": .string(careLevel),
            ])
        )
    }

    /// The texts and the audience, for SMS or WeChat gateways to deliver.
    static func noticePublished(_ notice: PublishedNotice) -> OutboxEvent {
        var audience: [String: JSONValue] = ["area": .string(notice.area.rawValue), "group": .string(notice.audience)]
        if let category = notice.category { audience["category"] = .string(category) }
        return OutboxEvent(
            topic: noticePublished, key: notice.id.lowercasedString, area: notice.area.rawValue,
            data: .object([
                "noticeId": .string(notice.id.lowercasedString), "title": .string(notice.title), "audience": .object(audience),
                "variants": notice.variants,
            ])
        )
    }
}
