import Foundation

/// Spreads a campaign's contacts evenly over its callers: counts differ by at most one,
/// and neighbours in the list (the same compound) go to the same caller where the counts
/// allow, so one caller knows one corner of the area. The same input gives the same split.
enum CampaignDistribution {
    /// `contacts` in the order they should be called (by compound, then registry order).
    static func assign<Contact>(_ contacts: [Contact], to callers: [String]) -> [(caller: String, contacts: [Contact])] {
        guard !callers.isEmpty else { return [] }
        let base = contacts.count / callers.count
        let extra = contacts.count % callers.count
        var start = 0
        return callers.enumerated().map { index, caller in
            let count = base + (index < extra ? 1 : 0)
            defer { start += count }
            return (caller, Array(contacts[start..<start + count]))
        }
    }
}
