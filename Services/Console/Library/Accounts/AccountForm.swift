import Foundation
import Models
import ServiceKit

/// An operator's request for a new console account, before it is checked.
public struct AccountForm: Sendable {
    public var username: String
    public var role: String
    public var area: String?
    public var password: String

    public init(username: String, role: String, area: String?, password: String) {
        self.username = username
        self.role = role
        self.area = area
        self.password = password
    }

    /// A checked account and the password it signs in with.
    public struct Valid: Sendable {
        public var username: String
        public var role: AccessRole
        public var area: AreaCode?
        var password: String
    }

    /// Every mistake at once, in words an operator can act on.
    public func validated() throws(AccountFormError) -> Valid {
        var problems: [String] = []
        let name = username.trimmingCharacters(in: .whitespaces)
        if !(3...64).contains(name.count) || name.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            problems.append("the username must be 3–64 letters, digits, '-', '_' or '.' (an opaque id such as staff-0042 is best)")
        }
        let accessRole = AccessRole(rawValue: role).flatMap { Account.signInRoles.contains($0) ? $0 : nil }
        if accessRole == nil { problems.append("the role must be one of \(Account.signInRoles.map(\.rawValue).joined(separator: ", "))") }
        var code: AreaCode?
        if let area, !area.isEmpty {
            code = AreaCode(area)
            if code == nil { problems.append("the area must be an area code such as 320505-004") }
        } else if accessRole != .operator {
            problems.append("only an operator may have no area: give --area")
        }
        if password.count < 10 { problems.append("the password must have at least 10 characters") }
        guard problems.isEmpty, let accessRole else { throw AccountFormError(problems: problems) }
        return Valid(username: name, role: accessRole, area: code, password: password)
    }
}

/// Why an account form was refused: every problem found.
public struct AccountFormError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}
