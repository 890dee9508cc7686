import EventBus
import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import Store

/// The SQL of call campaigns, in the caller's transaction: creating one (its contacts spread
/// over the callers, with its event), a caller taking their next contact, and a call recorded.
struct CampaignStore {
    let connection: PostgresConnection
    let logger: Logger

    /// Stores `campaign` with one contact per matching active, consenting resident; a
    /// campaign that would call nobody is refused (422: the area names no one to call).
    func create(_ campaign: NewCampaign, by creator: String) async throws -> CampaignCreated {
        let targets = try await residents(for: campaign)
        guard !targets.isEmpty else {
            throw InvalidFields("area", "no resident on the registry matches this campaign")
        }
        let id = UUID()
        let categories = campaign.categories.map(\.rawValue)
        try await connection.query(
            """
            INSERT INTO outreach_campaigns (id, title, area, categories, minimum_age, created_by)
            VALUES (\(id), \(campaign.title), \(campaign.area.rawValue), \(categories), \(campaign.minimumAge), \(creator))
            """,
            logger: logger
        )
        let split = CampaignDistribution.assign(targets, to: campaign.callers)
        let residents = split.flatMap(\.contacts)
        let owners = split.flatMap { part in part.contacts.map { _ in part.caller } }
        try await connection.query(
            """
            INSERT INTO outreach_contacts (id, campaign_id, resident_id, caller)
            SELECT gen_random_uuid(), \(id), r, c FROM UNNEST(\(residents)::uuid[], \(owners)::text[]) AS t(r, c)
            """,
            logger: logger
        )
        try await Outbox.append(OutreachEvents.campaignCreated(id, campaign, contacts: targets.count), on: connection, logger: logger)
        try await connection.query(
            "INSERT INTO outreach_campaign_callers (campaign_id, caller) SELECT \(id), c FROM UNNEST(\(campaign.callers)::text[]) AS c",
            logger: logger
        )
        let perCaller = Dictionary(uniqueKeysWithValues: split.map { ($0.caller, $0.contacts.count) })
        return CampaignCreated(id: id, contacts: targets.count, perCaller: perCaller)
    }

    /// The residents a campaign calls, in calling order (by compound, then registry order).
    private func residents(for campaign: NewCampaign) async throws -> [UUID] {
        let categories = campaign.categories.map(\.rawValue)
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        return try await connection.query(
            """
            SELECT id FROM outreach_residents
            WHERE compound LIKE \(campaign.area.rawValue + "%") AND status = 'active' AND consent
              AND (cardinality(\(categories)::text[]) = 0 OR categories && \(categories)::text[])
              AND (\(campaign.minimumAge ?? -1) < 0 OR birth_year <= \(year - (campaign.minimumAge ?? 0)))
            ORDER BY compound, seq
            """,
            logger: logger
        ).decode(UUID.self).collectAll()
    }

    /// The campaign's area, or nil when there is no such campaign.
    func area(of campaign: UUID) async throws -> AreaCode? {
        try await connection.query("SELECT area FROM outreach_campaigns WHERE id = \(campaign)", logger: logger)
            .decode(String.self).collectAll().first.flatMap(AreaCode.init)
    }
}
