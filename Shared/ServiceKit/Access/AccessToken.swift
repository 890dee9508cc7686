import Foundation
import Models

/// Who is calling: a role and a geographic scope, carried by a signed bearer token.
///
/// A street's staff hold scope `320505-004` and see that street's people and nothing else;
/// an operator without an area sees the whole city. The subject is an opaque id (never a
/// name or phone number), so tokens and logs carry no personal data.
public struct AccessToken: Sendable, Codable, Equatable {
    public var subject: String
    public var role: AccessRole
    /// `nil` only for city-wide operators.
    public var area: AreaCode?
    public var expiresAt: Date
    /// When it was issued: a revocation takes back every token of its holder issued before
    /// it (``TokenRevocations``). Tokens signed before tokens carried it have none, and count
    /// as issued before any revocation.
    public var issuedAt: Date?

    public init(subject: String, role: AccessRole, area: AreaCode?, expiresAt: Date, issuedAt: Date? = nil) {
        self.subject = subject
        self.role = role
        self.area = area
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
    }

    /// Whether `code` lies within this caller's scope.
    public func covers(_ code: AreaCode) -> Bool {
        area.map { $0.contains(code) } ?? true
    }

    /// The SQL `LIKE` pattern of this scope, for filtering lists in the database.
    public var areaPattern: String {
        area.map { $0.rawValue + "%" } ?? "%"
    }
}
