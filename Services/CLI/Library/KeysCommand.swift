import ArgumentParser
import Bus
import EventBus
import Foundation
import Logging
import ServiceKit
import Store
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// `shouwang keys`: the bus's CURVE keys — the bus's own pair, and the allow-list of
/// clients' public keys in the database.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the event bus's CURVE keys: the bus's own pair and the clients it allows.",
        discussion: """
            Every connection to the bus proves a key. The bus's key pair is made once (keys generate); \
            each client — a service, a relay tool, an integrator — gets a key of its own (keys create), \
            whose public half the database keeps with its role and grants; bus processes reload the \
            list every 2 s, so keys revoke takes effect within seconds. Secret keys are written to \
            files with mode 0600 and never stored in the database.
            """,
        subcommands: [
            KeysGenerateCommand.self, KeysCreateCommand.self, KeysListCommand.self, KeysRevokeCommand.self, KeysPublicCommand.self,
        ]
    )
}

struct KeysGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Make a key pair: the secret to a file (mode 0600), the public key on standard output.",
        discussion: """
            For the bus's own pair: give the secret file to shouwang-bus as SHOUWANG_BUS_SERVER_SECRET_KEY_FILE \
            and the printed public key to every client as SHOUWANG_BUS_SERVER_KEY. For an integrator who keeps \
            their secret on their own machine: they run this, and the operator registers the printed key with \
            keys create --public-key.
            """
    )

    @Option(name: .customLong("secret-file"), help: "Where to write the secret key (created with mode 0600; never overwritten).")
    var secretFile: String

    func run() async throws {
        let keys = try ZMQCurveKeyPair.generate()
        try SecretKeyFile.write(keys.secretKey, to: secretFile)
        print(keys.publicKey)
    }
}

struct KeysCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Register a client key: generate a pair (secret to --secret-file) or register --public-key.",
        discussion: """
            Roles: publisher (publishes --stream's topics, reads nothing: relays and tools), service \
            (publishes --stream's topics and reads --prefix: a Shouwang service), integrator (reads \
            --prefix only). A prefix grants itself and everything under it: intake. grants intake.request.created; \
            '' grants every topic; a grant ends with a dot or is one whole topic. Service and integrator \
            keys need at least one --prefix. Prints the key's public half.
            """
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "Unique name, shown in the bus's logs and metrics (a–z, 0–9, '-', '.', '_').")
    var name: String

    @Option(help: "publisher, service or integrator.")
    var role: String

    @Option(help: "The stream whose topics the key may publish (publisher and service keys).")
    var stream: String?

    @Option(name: .customLong("prefix"), help: "A topic prefix the key may read (repeatable; integrators need one).")
    var prefixes: [String] = []

    @Option(name: .customLong("secret-file"), help: "Generate a pair and write its secret here (mode 0600; never overwritten).")
    var secretFile: String?

    @Option(name: .customLong("public-key"), help: "Register a public key made elsewhere (its holder keeps the secret).")
    var publicKey: String?

    func validate() throws {
        guard (secretFile == nil) != (publicKey == nil) else { throw ValidationError("give exactly one of --secret-file and --public-key") }
        guard BusKeyGrant.Role(rawValue: role) != nil else { throw ValidationError("--role must be publisher, service or integrator") }
        if let publicKey, !ZMQCurveKeyPair.isKeyText(publicKey) { throw ValidationError("--public-key must be 40 Z85 characters") }
    }

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        let logger = Logger(label: "shouwang.keys")
        let role = BusKeyGrant.Role(rawValue: role)!
        let keys = try secretFile.map { _ in try ZMQCurveKeyPair.generate() }
        let grant = BusKeyGrant(
            name: name, publicKey: publicKey ?? keys!.publicKey, role: role, stream: stream,
            prefixes: prefixes
        )
        try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
            try await Migrator(CoreMigrations.all).migrate(client, logger: logger)
            try await BusKeyStore(client: client, logger: logger).create(grant)
        }
        // Written only once the key is registered, so a refused name leaves no stray secret behind.
        if let secretFile, let keys { try SecretKeyFile.write(keys.secretKey, to: secretFile) }
        print(grant.publicKey)
    }
}

struct KeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every registered key, active and revoked.")

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        let logger = Logger(label: "shouwang.keys")
        let entries = try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
            try await BusKeyStore(client: client, logger: logger).list()
        }
        let formatter = ISO8601DateFormatter()
        print("NAME                     ROLE        STREAM      READS                      STATUS                PUBLIC KEY")
        for entry in entries {
            let grant = entry.grant
            let reads = grant.prefixes.map { $0.isEmpty ? "(all)" : $0 }.joined(separator: ",")
            let status = entry.revokedAt.map { "revoked " + formatter.string(from: $0) } ?? "active"
            print(
                [
                    pad(grant.name, 24), pad(grant.role.rawValue, 11), pad(grant.stream ?? "-", 11), pad(reads.isEmpty ? "-" : reads, 26),
                    pad(status, 21), grant.publicKey,
                ].joined(separator: " "))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

struct KeysRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a key: every bus process refuses it within seconds and cuts its live connections."
    )

    @OptionGroup var options: ServiceOptions

    @Argument(help: "The key's name (see keys list).")
    var name: String

    func run() async throws {
        let configuration = try options.resolve(defaultHTTPPort: 0)
        let logger = Logger(label: "shouwang.keys")
        try await configuration.database.withClient(maximumConnections: 1, logger: logger) { client in
            try await BusKeyStore(client: client, logger: logger).revoke(name: name)
        }
        print("revoked \(name); bus processes refuse it within \(BusApplication.keyRefreshInterval.components.seconds) s")
    }
}

struct KeysPublicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public",
        abstract: "Print the public key of a secret key file (to register it again, e.g. in a new database)."
    )

    @Option(name: .customLong("secret-file"), help: "The secret key file.")
    var secretFile: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: secretFile) else { throw ValidationError("cannot read \(secretFile)") }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let keys = try? ZMQCurveKeyPair(secretKey: secret) else {
            throw ValidationError("\(secretFile) does not hold a CURVE secret key")
        }
        print(keys.publicKey)
    }
}

/// Writes a secret key where only its owner can read it, refusing to overwrite one.
enum SecretKeyFile {
    static func write(_ secret: String, to path: String) throws {
        // O_EXCL: never replace a key; mode 0600 from the first byte, not chmod-ed afterwards.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists; secret keys are never overwritten" : String(cString: strerror(errno))
            throw ValidationError("could not write the secret key to \(path): \(reason)")
        }
        defer { close(descriptor) }
        let bytes = Array((secret + "\n").utf8)
        guard Glibc.write(descriptor, bytes, bytes.count) == bytes.count else {
            throw ValidationError("could not write the secret key to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
