/// One volunteer placed on one shift.
///
/// The cost is included so a coordinator can see at a glance which
/// placements send people away from their own community.
public struct RosterAssignment: Sendable, Hashable, Codable {
    public var shiftId: String
    public var volunteerId: String
    /// This placement's share of the objective (0, 3, 10 or 30).
    public var cost: Int

    public init(shiftId: String, volunteerId: String, cost: Int) {
        self.shiftId = shiftId
        self.volunteerId = volunteerId
        self.cost = cost
    }
}

/// Seats of a shift that stay empty, and why.
///
/// Empty seats are the actionable part of a roster: the reason tells the
/// coordinator whether to recruit a skill, widen the district, or relax the
/// schedule, instead of just reporting a number.
public struct UnfilledSlots: Sendable, Hashable, Codable {
    public var shiftId: String
    public var count: Int
    public var cause: UnfilledCause
    /// Human-readable explanation, e.g. "no eligible volunteer has skill medical".
    public var reason: String

    public init(shiftId: String, count: Int, cause: UnfilledCause, reason: String) {
        self.shiftId = shiftId
        self.count = count
        self.cause = cause
        self.reason = reason
    }
}

/// Machine-readable category of an unfilled seat, so clients can group and
/// translate reasons without parsing the English text.
public enum UnfilledCause: String, Sendable, Hashable, Codable {
    /// Nobody (in the allowed districts) lives close enough to be allowed.
    case noVolunteerInDistrict
    /// Nobody allowed has every required skill.
    case missingSkill
    /// The shift is longer than the daily allowance, so nobody may take it.
    case longerThanDailyLimit
    /// Skilled volunteers exist but none is available for the whole shift.
    case noAvailability
    /// Volunteers could take it but all are busy with overlapping shifts,
    /// rest periods or their daily hours.
    case allAtLimit
}

/// The roster produced by `RosterSolver`, with proof of its quality.
///
/// Besides the placements it carries a lower bound on the best possible
/// objective, so a caller can tell "good enough" from "the instance is
/// simply short of people" without running anything else.
public struct RosterSolution: Sendable, Hashable, Codable {
    /// Placements ordered by shift (input order), then volunteer (input order).
    public var assignments: [RosterAssignment]
    /// Shifts with empty seats, in input order.
    public var unfilled: [UnfilledSlots]
    /// Total cost: placement costs plus 100 per empty seat.
    public var objective: Int
    /// No roster of this instance can cost less than this.
    public var lowerBound: Int
    /// (objective − lowerBound) / lowerBound; 0 when both are 0, nil when
    /// only the bound is 0.
    public var gap: Double?
    /// True when the objective is known to be the optimum (the bound is met,
    /// or the exact search for small instances finished).
    public var provenOptimal: Bool
    public var totalSlots: Int
    public var filledSlots: Int
    /// The tie-breaking preferences (teams together, hours spread, night posts
    /// rotated) this roster achieves; see `PreferenceScore`.
    public var preferences: PreferenceScore

    public init(
        assignments: [RosterAssignment], unfilled: [UnfilledSlots], objective: Int, lowerBound: Int,
        provenOptimal: Bool, totalSlots: Int, filledSlots: Int, preferences: PreferenceScore = PreferenceScore()
    ) {
        self.preferences = preferences
        self.assignments = assignments
        self.unfilled = unfilled
        self.objective = objective
        self.lowerBound = lowerBound
        if lowerBound > 0 {
            gap = Double(objective - lowerBound) / Double(lowerBound)
        } else {
            gap = objective == 0 ? 0 : nil
        }
        self.provenOptimal = provenOptimal
        self.totalSlots = totalSlots
        self.filledSlots = filledSlots
    }

    enum CodingKeys: String, CodingKey {
        case assignments, unfilled, objective, lowerBound, gap, provenOptimal, totalSlots, filledSlots, preferences
    }

    /// Accepts solutions written before `preferences` existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assignments = try container.decode([RosterAssignment].self, forKey: .assignments)
        unfilled = try container.decode([UnfilledSlots].self, forKey: .unfilled)
        objective = try container.decode(Int.self, forKey: .objective)
        lowerBound = try container.decode(Int.self, forKey: .lowerBound)
        gap = try container.decodeIfPresent(Double.self, forKey: .gap)
        provenOptimal = try container.decode(Bool.self, forKey: .provenOptimal)
        totalSlots = try container.decode(Int.self, forKey: .totalSlots)
        filledSlots = try container.decode(Int.self, forKey: .filledSlots)
        preferences = try container.decodeIfPresent(PreferenceScore.self, forKey: .preferences) ?? PreferenceScore()
    }
}
