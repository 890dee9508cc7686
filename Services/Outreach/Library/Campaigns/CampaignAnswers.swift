import Foundation

/// A campaign just created: how many contacts it holds, and how many each caller got.
struct CampaignCreated: Codable {
    var id: UUID
    var contacts: Int
    var perCaller: [String: Int]
}

/// Where a campaign stands: per caller (a caller outside staff sees only their own row),
/// and the outcomes so far.
struct CampaignProgress: Codable {
    struct Caller: Codable {
        var caller: String
        var contacts: Int
        var done: Int
        var pending: Int
    }
    var id: UUID
    var title: String
    var area: String
    var contacts: Int
    var done: Int
    var outcomes: [String: Int]
    var callers: [Caller]
}

/// What a caller needs to dial: the record is read (and logged) only now.
struct CampaignCall: Codable {
    var contactId: UUID
    var residentId: UUID
    var name: String
    var contactName: String
    var contactPhone: String
    var categories: [String]
    var careLevel: String
    var attempts: Int
}

/// A call recorded: when the contact is tried again, and the need or escalation it opened.
struct RecordedCall: Codable {
    var contactId: UUID
    var status: String
    var attempts: Int
    var nextAttemptAt: Date?
    var needId: UUID?
    var escalationId: UUID?
}
