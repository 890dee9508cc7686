import Foundation
import Models
import PostgresNIO
import ServiceKit

/// A sign-up to a recruitment call: the call must be open (before its deadline, not closed,
/// and with places left when it enforces its headcount — ``CallTerms``), the volunteer must
/// live in its district (就近就便: volunteers serve near home), and a chosen team must recruit
/// in their community. A volunteer of another street of the district is seen and vetted by
/// the call's street too (``VolunteerQueries``).
extension VolunteerStore {
    enum SignUpOutcome: Sendable {
        case registered(UUID)
        /// The ID number was registered already; the public page is answered as for a new
        /// sign-up, and the repeated attempt is noted in the existing registration's history.
        case repeatedQuietly
        /// The ID number was registered already and a station desk asked: it is told plainly,
        /// with a link to the registration when its area covers it.
        case alreadyRegistered(link: String?)
    }

    func signUp(_ volunteer: NewVolunteer, call: UUID, desk: AccessToken?) async throws -> SignUpOutcome {
        let callArea = try await openCallArea(call)
        try await AreaDirectory(connection: connection, logger: logger).requireKnown([("homeCommunity", volunteer.community)])
        guard callArea.district == volunteer.community.district else {
            throw InvalidFields([
                .init(
                    field: "homeCommunity",
                    message: "this call recruits in district \(callArea.district.rawValue); volunteers sign up in their own district "
                        + "(\(volunteer.community.district.rawValue)) — please answer a call of your own district"
                )
            ])
        }
        if let team = volunteer.team {
            let teamArea = try await connection.query("SELECT area FROM teams WHERE id = \(team)", logger: logger)
                .decode(String.self).collectAll().first.flatMap(AreaCode.init)
            guard let teamArea, teamArea.contains(volunteer.community) else {
                throw InvalidFields([
                    .init(field: "teamId", message: "no such team for your community; teams recruit near home")
                ])
            }
        }
        if let id = try await register(volunteer, call: call, actor: desk?.subject ?? "public") { return .registered(id) }
        return try await repeated(volunteer, call: call, desk: desk)
    }

    /// The area of call `id`, while it takes sign-ups. The call stays locked until the sign-up
    /// commits, so sign-ups to one call take turns and never overfill an enforced headcount.
    private func openCallArea(_ id: UUID) async throws -> AreaCode {
        let row = try await connection.query(
            "SELECT area, headcount, enforce_headcount, deadline, closed_at FROM recruitment_calls WHERE id = \(id) FOR UPDATE",
            logger: logger
        ).decode((String, Int, Bool, Date, Date?).self).collectAll().first
        guard let (text, headcount, enforce, deadline, closedAt) = row, let area = AreaCode(text) else {
            throw NotFound("recruitment call")
        }
        // Places taken matter only to an enforced headcount (``CallTerms``). Counted after the
        // lock, in a statement of its own: it sees every sign-up committed before.
        var taken = 0
        if enforce {
            taken =
                try await connection.query(
                    "SELECT count(*)::int FROM volunteers WHERE call_id = \(id) AND status NOT IN ('withdrawn', 'rejected')", logger: logger
                ).decode(Int.self).collectAll().first ?? 0
        }
        let terms = CallTerms(headcount: headcount, enforceHeadcount: enforce, deadline: deadline, closedAt: closedAt)
        if let refusal = terms.refusal(placesTaken: taken) { throw refusal }
        return area
    }

    private func repeated(_ volunteer: NewVolunteer, call: UUID, desk: AccessToken?) async throws -> SignUpOutcome {
        guard
            let (existing, community, status) = try await connection.query(
                "SELECT id, community, status FROM volunteers WHERE id_number = \(volunteer.idNumber.value)", logger: logger
            ).decode((UUID, String, String).self).collectAll().first
        else {
            // Registered by a concurrent sign-up whose transaction has not committed yet.
            throw Refusal("This sign-up collided with another one; please send it again.")
        }
        if let desk {
            let visible = AreaCode(community).map(desk.covers) ?? false
            return .alreadyRegistered(link: visible ? "/v1/volunteers/\(existing.lowercasedString)" : nil)
        }
        try await recordHistory(
            existing, action: "sign-up-repeated", status: VolunteerStatus(rawValue: status) ?? .pending,
            reason: "signed up again through call \(call.lowercasedString)", actor: "public"
        )
        return .repeatedQuietly
    }
}
