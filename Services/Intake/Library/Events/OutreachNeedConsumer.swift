import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import Store

/// Turns each need outreach finds (`outreach.need.identified`) into a request filed by
/// outreach. The event carries ids and codes only; the contact and address are read from
/// outreach's registry here, inside intake, so they never travel on the bus.
///
/// The registry's rule travels with the copy: a vulnerable resident's full record is read
/// only with a stated reason, and every such read is logged. Intake keeps the address (the
/// household key that catches the same household asking twice is made of it), the contact
/// and the need's details (drug, dose, note) in its row, but never shows them: its lists and
/// detail show such a request as ``OutreachNeedCopy/shown(_:)`` makes it — category,
/// urgency, zone, compound, a masked phone and the need's id, which is what dispatching
/// needs. The full contact is read from outreach, `GET /v1/needs/{id}/contact?reason=…`,
/// which logs the read in the registry's read log (`outreach_record_reads`) like any other.
/// Whoever adds another reader of these columns keeps the rule.
struct OutreachNeedConsumer: EventConsumer {
    static let needIdentified: Topic = "outreach.need.identified"

    let endpoints: BusEndpoints
    let client: PostgresClient
    let duplicateWindow: Duration
    let logger: Logger

    /// Positions are stored under this name: it never changes.
    var inbox: String { "intake.outreach-needs" }
    var prefixes: [String] { [Self.needIdentified.rawValue] }

    /// Files the need behind `event` as a request, once.
    func apply(_ event: EventEnvelope, on connection: PostgresConnection) async throws {
        guard event.topic == Self.needIdentified,
            let need = event.data["needId"]?.stringValue.flatMap(UUID.init(uuidString:))
        else { return }
        let alreadyFiled =
            try await connection.query("SELECT 1 FROM requests WHERE outreach_need_id = \(need)", logger: logger).collect().count > 0
        guard !alreadyFiled else { return }
        guard let request = try await read(need, on: connection) else {
            logger.warning("outreach need not found or not fileable; skipped", metadata: ["need": "\(need)", "event": "\(event.id)"])
            return
        }
        _ = try await RequestStore(connection: connection, logger: logger).create(request, actor: "outreach", window: duplicateWindow)
    }

    /// The need and its resident's contact, as a request; `nil` when the need is unknown or
    /// its stored fields no longer pass intake's checks.
    private func read(_ need: UUID, on connection: PostgresConnection) async throws -> NewRequest? {
        guard
            let row = try await connection.query(
                """
                SELECT n.category, n.urgency, n.zone, n.details::text, r.compound, r.address, r.contact_name, r.contact_phone
                FROM outreach_needs n JOIN outreach_residents r ON r.id = n.resident_id WHERE n.id = \(need)
                """,
                logger: logger
            ).decode((String, String, String, String, String, String, String, String).self).collectAll().first
        else { return nil }
        let (category, urgency, zone, details, compound, address, contactName, contactPhone) = row
        guard let category = WorkOrderCategory(rawValue: category), let urgency = Urgency(rawValue: urgency),
            let zone = ZoneStatus(rawValue: zone), let compound = AreaCode(compound), let phone = MobileNumber(contactPhone)
        else { return nil }
        return NewRequest(
            category: category, detailsJSON: details, urgency: urgency, compound: compound, address: address, zone: zone,
            contactName: contactName, contactPhone: phone, filedBy: .outreach, outreachNeed: need
        )
    }
}

/// What intake shows of a request copied from an outreach need: everything dispatching
/// needs, nothing of the registry's personal data (see ``OutreachNeedConsumer``).
enum OutreachNeedCopy {
    static let withheld = "***"

    /// `item` with the address, contact name and need details withheld and the phone masked;
    /// the details keep their keys, so a dispatcher sees that a drug and dose were given.
    static func shown(_ item: RequestQueries.Item) -> RequestQueries.Item {
        var shown = item
        shown.address = withheld
        shown.contactName = withheld
        // Lists pass the phone already masked; a detail passes the stored digits.
        shown.contactPhone = MobileNumber(item.contactPhone)?.masked ?? (item.contactPhone.contains("****") ? item.contactPhone : withheld)
        if case .object(let details) = item.details {
            shown.details = .object(details.mapValues { _ in .string(withheld) })
        } else {
            shown.details = .object([:])
        }
        return shown
    }
}
