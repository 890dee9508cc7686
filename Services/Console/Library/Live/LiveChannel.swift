import Models
import ServiceKit

/// What a live page listens to: which news concerns it, within the viewer's area.
enum LiveChannel: String, Sendable, CaseIterable {
    /// The dispatch board: requests and their offers, holders and tasks.
    case dispatch
    /// The operations room: check-ins, requests, stock, follow-ups, compounds.
    case operations

    var roles: Set<AccessRole> {
        switch self {
        case .dispatch: [.dispatcher, .staff, .operator]
        case .operations: [.operator, .staff]
        }
    }

    /// Whether `news` changes a volunteer's own page: an offer made to them, a task or a shift of
    /// theirs. Nothing about anyone else reaches their page, not even that something happened.
    static func concernsVolunteer(_ news: LiveFeed.News, volunteer: String) -> Bool {
        guard news.volunteer?.lowercased() == volunteer.lowercased() else { return false }
        return ["matching.request.", "matching.task.", "matching.shift."].contains { news.topic.hasPrefix($0) }
    }

    /// Whether `news` changes what this channel shows to someone whose scope is `scope`.
    /// News without an area reaches only city-wide viewers; news outside the scope reaches
    /// nobody there, so a page never hints at another street's activity.
    func concerns(_ news: LiveFeed.News, scope: AreaCode?) -> Bool {
        let topical: Bool
        switch self {
        case .dispatch:
            topical =
                news.topic.hasPrefix("intake.request.") || news.topic.hasPrefix("matching.request.")
                || news.topic.hasPrefix("matching.task.") || news.topic.hasPrefix("matching.shift.")
        case .operations:
            topical = [
                "intake.checkins.", "intake.request.", "matching.request.", "supplies.stock.", "supplies.reservation.",
                "supplies.compound.", "outreach.followup.",
            ].contains { news.topic.hasPrefix($0) }
        }
        guard topical else { return false }
        guard let scope else { return true }
        guard let area = news.area.flatMap(AreaCode.init) else { return false }
        return scope.contains(area)
    }
}
