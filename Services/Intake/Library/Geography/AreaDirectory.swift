import Logging
import Models
import PostgresNIO

/// The loaded geography, read by every check of "is this a known area code?".
struct AreaDirectory {
    let connection: PostgresConnection
    let logger: Logger

    /// The level of each code that exists.
    func levels(of codes: [AreaCode]) async throws -> [AreaCode: AreaCode.Level] {
        guard !codes.isEmpty else { return [:] }
        var found: [AreaCode: AreaCode.Level] = [:]
        for try await (code, level) in try await connection.query(
            "SELECT code, level FROM areas WHERE code = ANY(\(codes.map(\.rawValue)))", logger: logger
        ).decode((String, String).self) {
            if let code = AreaCode(code), let level = AreaCode.Level(rawValue: level) { found[code] = level }
        }
        return found
    }

    /// Adds a field error for each code that is not in the loaded geography.
    func requireKnown(_ codes: [(field: String, code: AreaCode?)], into validator: inout FieldValidatorBox) async throws {
        let known = try await levels(of: codes.compactMap(\.code))
        for (field, code) in codes {
            if let code, known[code] == nil { validator.value.fail(field, "unknown area code \(code.rawValue)") }
        }
    }
}

import ServiceKit

/// A `FieldValidator` passed by reference through async helpers.
struct FieldValidatorBox {
    var value = FieldValidator()
}
