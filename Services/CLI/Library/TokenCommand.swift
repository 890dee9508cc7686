import ArgumentParser
import Foundation
import Models
import ServiceKit

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract:
            "Issue a bearer token for a role and an area (signed with SHOUWANG_TOKEN_SECRET; an integrator's with SHOUWANG_INTEGRATOR_TOKEN_SECRET).",
        discussion: """
            Roles: \(AccessRole.allCases.map(\.rawValue).joined(separator: ", ")). A street's staff get the street's code \
            (320505-004) and see that street only; an operator without --area sees the whole city. \
            The subject is an opaque id for audit trails, never a name or phone number; a volunteer's \
            subject is their volunteer id (a UUID), and their area their community. Stations normally \
            issue a volunteer's token at vetting instead (POST /v1/volunteers/{id}/tokens on intake), \
            and take it back there (DELETE on the same path). An integrator's subject is the name of \
            its bus key (shouwang keys create --role integrator), whose grant decides what it reads \
            from the bus's event stream (GET /v1/events); it needs no --area, and revoking the key \
            ends its streams.
            """
    )

    @Option(help: ArgumentHelp(stringLiteral: AccessRole.allCases.map(\.rawValue).joined(separator: ", ") + "."))
    var role: String

    @Option(help: "Area code of the scope, e.g. 320505-004 (omit only for a city-wide operator).")
    var area: String?

    @Option(help: "Opaque id of the holder, recorded in histories (e.g. staff-0042); a volunteer's id for a volunteer.")
    var subject: String

    @Option(help: "Days until the token expires.")
    var days: Int = 30

    func run() async throws {
        guard let role = AccessRole(rawValue: role) else {
            throw ValidationError("--role must be one of \(AccessRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // An integrator's token is for the bus's event stream, signed with the bus's own secret.
        let variable = role == .integrator ? "SHOUWANG_INTEGRATOR_TOKEN_SECRET" : "SHOUWANG_TOKEN_SECRET"
        guard let secret = try EnvironmentSecret.value(variable, in: ProcessInfo.processInfo.environment) else {
            throw ValidationError(
                "\(variable) (or \(variable)_FILE) is not set; use the secret the \(role == .integrator ? "bus" : "services") run with (up.sh writes it to .local/\(role == .integrator ? "integrator-token-secret" : "token-secret"))"
            )
        }
        let scope = try area.map { text in
            guard let code = AreaCode(text) else { throw ValidationError("--area must be an area code like 320505-004") }
            return code
        }
        if scope == nil && role != .operator && role != .integrator {
            throw ValidationError("only an operator or an integrator may have no --area")
        }
        if role == .volunteer && UUID(uuidString: subject) == nil { throw ValidationError("a volunteer's --subject is their volunteer id") }
        guard (1...366).contains(days) else { throw ValidationError("--days must be 1–366") }
        let now = Date()
        let token = AccessToken(
            subject: role == .volunteer ? subject.lowercased() : subject, role: role, area: scope,
            expiresAt: now.addingTimeInterval(Double(days) * 86_400), issuedAt: now)
        print(try TokenSigner(secret: secret).issue(token))
    }
}
