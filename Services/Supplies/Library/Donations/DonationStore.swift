import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of donors, calls for donations and pledges, in the caller's transaction.
struct DonationStore {
    let connection: PostgresConnection
    let logger: Logger

    /// A call for donations as its public page shows it: the target and how far pledges and
    /// deliveries have come, never who gave.
    struct DriveProgress: Codable {
        var id: UUID
        var title: String
        var area: String
        var item: String
        var unit: String
        var target: Int
        var pledged: Int
        var received: Int
        var deadline: Date
    }

    func create(_ donor: NewDonor) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO donors (id, kind, name, contact_phone, area)
            VALUES (\(id), \(donor.kind.rawValue), \(donor.name), \(donor.contactPhone?.digits), \(donor.area.rawValue))
            """,
            logger: logger
        )
        return id
    }

    func create(_ drive: NewDrive) async throws -> UUID {
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO donation_drives (id, title, area, item_id, target, deadline)
            VALUES (\(id), \(drive.title), \(drive.area.rawValue), \(drive.item), \(drive.target), \(drive.deadline))
            """,
            logger: logger
        )
        return id
    }

    /// Records a pledge to a depot of the caller's area, from a donor of that area (422 on
    /// `depotId`, `donorId` or `driveId` otherwise), and announces it.
    func pledge(_ pledge: NewPledge, by access: AccessToken) async throws -> UUID {
        let area = try await DepotAccess(connection: connection, logger: logger).require(pledge.depot, access, field: "depotId")
        let donorKind = try await requireDonor(pledge.donor, visibleTo: access)
        if let drive = pledge.drive {
            let matches =
                try await connection.query(
                    "SELECT area FROM donation_drives WHERE id = \(drive) AND item_id = \(pledge.item)", logger: logger
                ).decode(String.self).collectAll().first.flatMap(AreaCode.init).map(access.covers) == true
            guard matches else {
                throw InvalidFields("driveId", "no call for donations of this item in your area")
            }
        }
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO donation_pledges (id, donor_id, drive_id, depot_id, item_id, quantity)
            VALUES (\(id), \(pledge.donor), \(pledge.drive), \(pledge.depot), \(pledge.item), \(pledge.quantity))
            """,
            logger: logger
        )
        try await Outbox.append(
            SuppliesEvents.pledged(
                id, donorKind: donorKind, depot: pledge.depot, area: area.rawValue, item: pledge.item, quantity: pledge.quantity,
                drive: pledge.drive
            ),
            on: connection, logger: logger
        )
        return id
    }

    /// The donor's kind, when the donor exists within `access`'s area; 422 on `donorId` otherwise.
    func requireDonor(_ donor: UUID, visibleTo access: AccessToken) async throws -> String {
        guard
            let (kind, area) = try await connection.query("SELECT kind, area FROM donors WHERE id = \(donor)", logger: logger)
                .decode((String, String).self).collectAll().first, AreaCode(area).map(access.covers) == true
        else { throw InvalidFields("donorId", "no such donor in your area") }
        return kind
    }

    func progress(ofDrive id: UUID) async throws -> DriveProgress? {
        try await connection.query(
            """
            SELECT d.title, d.area, i.name, i.unit, d.target, d.deadline,
                   coalesce((SELECT sum(quantity) FROM donation_pledges WHERE drive_id = d.id), 0)::int,
                   coalesce((SELECT sum(received) FROM donation_pledges WHERE drive_id = d.id), 0)::int
            FROM donation_drives d JOIN supply_items i ON i.id = d.item_id WHERE d.id = \(id)
            """,
            logger: logger
        ).decode((String, String, String, String, Int, Date, Int, Int).self).collectAll().first.map { row in
            DriveProgress(
                id: id, title: row.0, area: row.1, item: row.2, unit: row.3, target: row.4, pledged: row.6, received: row.7, deadline: row.5
            )
        }
    }
}
