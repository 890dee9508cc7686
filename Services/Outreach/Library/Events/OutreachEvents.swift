import EventBus
import Foundation
import Models

/// The events outreach announces. Data carries ids, codes and categories only — never a
/// name, number or address; the fields of each topic are documented in docs/EVENTS.md.
enum OutreachEvents {
    static func residentRegistered(_ id: UUID, _ resident: VulnerableResident) -> OutboxEvent {
        OutboxEvent(
            topic: "outreach.resident.registered", key: id.uuidString.lowercased(), area: resident.compound.rawValue,
            data: .object([
                "residentId": .string(id.uuidString.lowercased()), "compound": .string(resident.compound.rawValue),
                "categories": .array(resident.categories.map { .string($0.rawValue) }), "careLevel": .string(resident.careLevel.rawValue),
            ])
        )
    }

    /// The contract intake turns into a request: intake reads the contact and address from
    /// outreach's tables by `needId`, so they never travel on the bus.
    static func needIdentified(_ id: UUID, resident: UUID, compound: AreaCode, _ need: IdentifiedNeed) -> OutboxEvent {
        OutboxEvent(
            topic: "outreach.need.identified", key: id.uuidString.lowercased(), area: compound.rawValue,
            data: .object([
                "needId": .string(id.uuidString.lowercased()), "residentId": .string(resident.uuidString.lowercased()),
                "category": .string(need.category.rawValue), "urgency": .string(need.urgency.rawValue),
                "zone": .string(need.zone.rawValue), "compound": .string(compound.rawValue), "source": .string(need.source.rawValue),
            ])
        )
    }
}
