/// The fixed price of each placement in the primary objective.
///
/// The numbers are part of the contract of the solver: results of different
/// runs, solvers and versions are only comparable when they are priced the
/// same way. Serving one's own community is free, every step up the hierarchy
/// costs more, and an empty slot costs more than any placement so the solver
/// never leaves a seat empty to save locality cost.
public enum PlacementCost {
    public static let sameCommunity = 0
    public static let sameStreet = 3
    public static let sameDistrict = 10
    public static let acrossDistricts = 30
    public static let unfilledSlot = 100

    /// The cost of placing someone living in `home` on a shift in `shiftArea`,
    /// or nil when the placement is forbidden (another district and the shift
    /// does not accept any district). Levels missing from a code never match.
    public static func cost(home: RosterArea, shiftArea: RosterArea, anyDistrict: Bool) -> Int? {
        if let community = home.community, community == shiftArea.community {
            return sameCommunity
        }
        if let street = home.street, street == shiftArea.street {
            return sameStreet
        }
        if let district = home.district, district == shiftArea.district {
            return sameDistrict
        }
        return anyDistrict ? acrossDistricts : nil
    }
}
