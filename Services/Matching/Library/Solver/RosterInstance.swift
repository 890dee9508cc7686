import Foundation

/// Everything the roster solver needs to know, in one self-contained value.
///
/// The instance is a snapshot: eligibility (verified, trained, insured, not
/// suspended) has already been decided upstream, so every volunteer listed here
/// may be rostered. Keeping the solver input a plain `Codable` value lets the
/// same data be solved from the server, replayed from a JSON file by the
/// `shouwang-matching solve --instance FILE` command, and compared between runs.
public struct RosterInstance: Sendable, Hashable, Codable {
    public var volunteers: [Volunteer]
    public var shifts: [Shift]
    public var rules: RosterRules

    public init(volunteers: [Volunteer], shifts: [Shift], rules: RosterRules = RosterRules()) {
        self.volunteers = volunteers
        self.shifts = shifts
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey {
        case volunteers, shifts, rules
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        volunteers = try container.decodeIfPresent([Volunteer].self, forKey: .volunteers) ?? []
        shifts = try container.decodeIfPresent([Shift].self, forKey: .shifts) ?? []
        rules = try container.decodeIfPresent(RosterRules.self, forKey: .rules) ?? RosterRules()
    }
}

/// A person who can be placed on shifts.
///
/// Only the facts that decide *where* and *when* someone may work are kept:
/// the home area drives the locality cost, skills and availability drive the
/// hard rules. The team is carried along so tie-breaking and reporting can keep
/// teams together without changing the primary objective.
public struct Volunteer: Sendable, Hashable, Codable {
    public var id: String
    /// Hierarchical area code of the volunteer's home (community or deeper),
    /// e.g. "320505-001-001" or "320505-001-001-01".
    public var home: String
    public var skills: [String]
    public var team: String?
    public var availability: [AvailabilityWindow]

    public init(id: String, home: String, skills: [String] = [], team: String? = nil, availability: [AvailabilityWindow]) {
        self.id = id
        self.home = home
        self.skills = skills
        self.team = team
        self.availability = availability
    }

    enum CodingKeys: String, CodingKey {
        case id, home, skills, team, availability
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        home = try container.decode(String.self, forKey: .home)
        skills = try container.decodeIfPresent([String].self, forKey: .skills) ?? []
        team = try container.decodeIfPresent(String.self, forKey: .team)
        availability = try container.decodeIfPresent([AvailabilityWindow].self, forKey: .availability) ?? []
    }
}

/// A period during which a volunteer has said they can work.
///
/// A shift may only be given to a volunteer when one single window covers it
/// completely, because people commit to blocks of time, not to fragments.
public struct AvailabilityWindow: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// A block of work at a post that needs a number of people.
///
/// Slots are interchangeable seats on the same shift; the solver decides who
/// takes each seat or explains why a seat stays empty.
public struct Shift: Sendable, Hashable, Codable {
    public var id: String
    public var postId: String
    /// Area code of the post (community or compound), e.g. "320505-001-001".
    public var area: String
    public var role: String
    public var requiredSkills: [String]
    public var start: Date
    public var end: Date
    public var slots: Int
    /// When true the shift may be staffed from any district (at a higher cost);
    /// otherwise only volunteers living in the shift's district qualify.
    public var anyDistrict: Bool

    public init(
        id: String, postId: String, area: String, role: String, requiredSkills: [String] = [],
        start: Date, end: Date, slots: Int, anyDistrict: Bool = false
    ) {
        self.id = id
        self.postId = postId
        self.area = area
        self.role = role
        self.requiredSkills = requiredSkills
        self.start = start
        self.end = end
        self.slots = slots
        self.anyDistrict = anyDistrict
    }

    enum CodingKeys: String, CodingKey {
        case id, postId, area, role, requiredSkills, start, end, slots, anyDistrict
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        postId = try container.decodeIfPresent(String.self, forKey: .postId) ?? ""
        area = try container.decode(String.self, forKey: .area)
        role = try container.decodeIfPresent(String.self, forKey: .role) ?? ""
        requiredSkills = try container.decodeIfPresent([String].self, forKey: .requiredSkills) ?? []
        start = try container.decode(Date.self, forKey: .start)
        end = try container.decode(Date.self, forKey: .end)
        slots = try container.decode(Int.self, forKey: .slots)
        anyDistrict = try container.decodeIfPresent(Bool.self, forKey: .anyDistrict) ?? false
    }
}

/// Working-time limits that protect volunteers from exhaustion.
///
/// They are part of the instance (not constants) because the limits are set by
/// the coordinating authority and may change between campaigns.
public struct RosterRules: Sendable, Hashable, Codable {
    /// Maximum total hours of shifts that start on the same UTC calendar day.
    public var maxHoursPerDay: Double
    /// Minimum hours between the end of one shift and the start of the next.
    public var minRestHours: Double

    public init(maxHoursPerDay: Double = 8, minRestHours: Double = 8) {
        self.maxHoursPerDay = maxHoursPerDay
        self.minRestHours = minRestHours
    }

    enum CodingKeys: String, CodingKey {
        case maxHoursPerDay, minRestHours
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxHoursPerDay = try container.decodeIfPresent(Double.self, forKey: .maxHoursPerDay) ?? 8
        minRestHours = try container.decodeIfPresent(Double.self, forKey: .minRestHours) ?? 8
    }
}

extension RosterInstance {
    /// Decodes an instance from JSON with ISO-8601 timestamps and validates it,
    /// so a malformed file is rejected with an actionable message before any
    /// solving starts.
    public static func decode(from data: Data) throws -> RosterInstance {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = ISO8601Timestamp.parse(text) {
                return date
            }
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not an ISO-8601 timestamp such as 2026-04-10T07:00:00Z"
            )
        }
        let instance: RosterInstance
        do {
            instance = try decoder.decode(RosterInstance.self, from: data)
        } catch let error as DecodingError {
            throw RosterInstanceError.malformedJSON(ISO8601Timestamp.describe(error))
        }
        try instance.validate()
        return instance
    }

    /// Encodes the instance in the same format `decode(from:)` accepts.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Timestamp.format(date))
        }
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

/// Parsing and printing of the timestamps used in instance files.
enum ISO8601Timestamp {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)' at \(path(context.codingPath).isEmpty ? "top level" : path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "invalid value at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
