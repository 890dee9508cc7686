/// A position in the district → street → community → compound hierarchy.
///
/// Locality is what the objective rewards (people should serve where they
/// live), so the hierarchy is derived once from the dash-separated code instead
/// of being re-parsed by every rule: the first component is the district, the
/// first two the street, the first three the community. A level the code does
/// not reach is nil and never matches anything.
public struct RosterArea: Sendable, Hashable {
    public let code: String
    public let district: Substring?
    public let street: Substring?
    public let community: Substring?

    public init(_ code: String) {
        self.code = code
        let components = code.split(separator: "-", omittingEmptySubsequences: false)
        func prefix(_ count: Int) -> Substring? {
            guard components.count >= count else { return nil }
            let slice = components[0..<count]
            guard !slice.contains(where: \.isEmpty), let last = slice.last else { return nil }
            return code[code.startIndex..<last.endIndex]
        }
        district = prefix(1)
        street = prefix(2)
        community = prefix(3)
    }
}
