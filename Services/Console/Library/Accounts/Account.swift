import Foundation
import Models
import ServiceKit

/// A person who signs in to the console: staff, a dispatcher, a caller or an operator, with the
/// area their work covers. What they see is what a bearer token of the same role and area
/// would let them read from the services; the console mints exactly that token per request.
public struct Account: Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var role: AccessRole
    /// `nil` only for a city-wide operator.
    public var area: AreaCode?

    /// The roles that sign in with a password. Volunteers come through their personal link,
    /// devices and integrators never use the console.
    public static let signInRoles: [AccessRole] = [.staff, .dispatcher, .caller, .operator]

    /// The access the console claims on this account's behalf: short-lived, and with the
    /// account's id as subject so the services' histories say who acted (never their name).
    func access(now: Date = Date()) -> AccessToken {
        AccessToken(
            subject: "console-\(id.lowercasedString)", role: role, area: area, expiresAt: now.addingTimeInterval(300), issuedAt: now)
    }
}
