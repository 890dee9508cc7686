import ArgumentParser
import Console
import Foundation
import Logging
import ServiceKit
import Store

/// `shouwang users`: the console's staff accounts. Passwords are read from standard input
/// (never an argument, which `ps` and shell history would show) and stored as scrypt hashes.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the console's staff accounts (station staff, dispatchers, callers, operators).",
        discussion: """
            An account signs in to shouwang-console and sees what a token of its role and area may read: \
            a street's staff their street only. Volunteers need no account: staff issue their personal link \
            at vetting. Usernames are opaque ids (staff-0042), never a person's name.
            """,
        subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersDisableCommand.self]
    )
}

struct UsersAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account; its password is read from standard input (one line).",
        discussion: "Example: printf '%s\\n' \"$PASSWORD\" | shouwang users add --username staff-0042 --role staff --area 320505-004"
    )

    @OptionGroup var options: ServiceOptions
    @Option(help: "Opaque id the person signs in with (3–64 letters, digits, '-', '_', '.').") var username: String
    @Option(help: "staff, dispatcher, caller or operator.") var role: String
    @Option(help: "Area code the account works in, e.g. 320505-004 (omit only for a city-wide operator).") var area: String?

    func run() async throws {
        guard let line = readLine(strippingNewline: true) else {
            throw ValidationError("give the password on standard input, e.g. printf '%s\\n' \"$PASSWORD\" | shouwang users add …")
        }
        let account: AccountForm.Valid
        do { account = try AccountForm(username: username, role: role, area: area, password: line).validated() } catch {
            throw ValidationError(error.description)
        }
        let configuration = try options.resolve(defaultHTTPPort: 0)
        let logger = Logger(label: "shouwang.users")
        try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
            try await Migrator(AllMigrations.all).migrate(client, logger: logger)
            do { try await AccountStore(client: client, logger: logger).add(account) } catch let error as AccountFormError {
                throw ValidationError(error.description)
            }
        }
        print("added \(account.username) (\(account.role.rawValue)\(account.area.map { ", " + $0.rawValue } ?? ", whole city"))")
    }
}

struct UsersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts: username, role, area, status.")

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        let logger = Logger(label: "shouwang.users")
        let accounts = try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
            try await AccountStore(client: client, logger: logger).list()
        }
        print("USERNAME                 ROLE        AREA             STATUS")
        for account in accounts {
            let columns = [
                account.username.padding(toLength: 24, withPad: " ", startingAt: 0),
                account.role.padding(toLength: 11, withPad: " ", startingAt: 0),
                (account.area ?? "(city)").padding(toLength: 16, withPad: " ", startingAt: 0), account.disabled ? "disabled" : "active",
            ]
            print(columns.joined(separator: " "))
        }
    }
}

struct UsersDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable an account and end its sessions at once (someone left, or a password leaked).")

    @OptionGroup var options: ServiceOptions
    @Option(help: "The account's username.") var username: String

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        let logger = Logger(label: "shouwang.users")
        let disabled = try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
            try await AccountStore(client: client, logger: logger).disable(username: username)
        }
        guard disabled else { throw ValidationError("no active account is called \(username)") }
        print("disabled \(username); its sessions are ended")
    }
}
