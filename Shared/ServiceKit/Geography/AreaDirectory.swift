import Logging
import Models
import PostgresNIO

/// The loaded geography (intake's `areas` table, which every service reads), for every
/// check of "is this a known area code?".
public struct AreaDirectory: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The level of each code that exists.
    public func levels(of codes: [AreaCode]) async throws -> [AreaCode: AreaCode.Level] {
        guard !codes.isEmpty else { return [:] }
        var found: [AreaCode: AreaCode.Level] = [:]
        for try await (code, level) in try await connection.query(
            "SELECT code, level FROM areas WHERE code = ANY(\(codes.map(\.rawValue)))", logger: logger
        ).decode((String, String).self) {
            if let code = AreaCode(code), let level = AreaCode.Level(rawValue: level) { found[code] = level }
        }
        return found
    }

    /// Throws ``InvalidFields`` (answered 422) naming each field whose code is not in the loaded
    /// geography.
    public func requireKnown(_ codes: [(field: String, code: AreaCode?)]) async throws {
        let known = try await levels(of: codes.compactMap(\.code))
        let unknown = codes.filter { $0.code != nil && known[$0.code!] == nil }
        guard unknown.isEmpty else {
            throw InvalidFields(unknown.map { .init(field: $0.field, message: "unknown area code \($0.code!.rawValue)") })
        }
    }
}
