import EventBus
import Foundation
import ZeroMQ

/// Reads the bus's CURVE keys from the environment: each secret from `NAME` or from the
/// file named by `NAME_FILE` (container secrets), never from the database.
///
/// | variable | who | what |
/// | --- | --- | --- |
/// | `SHOUWANG_BUS_SERVER_KEY` / `_FILE` | every client | the bus's public key |
/// | `SHOUWANG_BUS_SECRET_KEY` / `_FILE` | every client | its own secret key (`shouwang keys create`) |
/// | `SHOUWANG_BUS_SERVER_SECRET_KEY` / `_FILE` | `shouwang-bus` | the bus's secret key (`shouwang keys generate`) |
/// | `SHOUWANG_BUS_INSECURE` | everyone | `1`: run the bus without CURVE (tests of old tools only) |
enum BusSecurityEnvironment {
    /// This process's client credentials, or `nil` when it has no secret key.
    static func credentials(_ environment: [String: String]) throws -> BusCredentials? {
        guard let secret = try EnvironmentSecret.value("SHOUWANG_BUS_SECRET_KEY", in: environment) else { return nil }
        guard let serverKey = try EnvironmentSecret.value("SHOUWANG_BUS_SERVER_KEY", in: environment) else {
            throw ConfigurationError(
                "SHOUWANG_BUS_SECRET_KEY is set but SHOUWANG_BUS_SERVER_KEY is not: give the bus's public key (shouwang keys generate printed it)"
            )
        }
        guard ZMQCurveKeyPair.isKeyText(serverKey) else {
            throw ConfigurationError("SHOUWANG_BUS_SERVER_KEY must be the bus's public key: 40 Z85 characters")
        }
        return BusCredentials(serverKey: serverKey, keys: try keyPair(secret, "SHOUWANG_BUS_SECRET_KEY"))
    }

    /// The bus server's own key pair, or `nil` when none is configured.
    static func server(_ environment: [String: String]) throws -> BusServerSecurity? {
        guard let secret = try EnvironmentSecret.value("SHOUWANG_BUS_SERVER_SECRET_KEY", in: environment) else { return nil }
        return BusServerSecurity(keys: try keyPair(secret, "SHOUWANG_BUS_SERVER_SECRET_KEY"))
    }

    static func insecure(_ environment: [String: String]) -> Bool {
        ["1", "true", "yes"].contains(environment["SHOUWANG_BUS_INSECURE"]?.lowercased() ?? "")
    }

    private static func keyPair(_ secret: String, _ name: String) throws -> ZMQCurveKeyPair {
        do {
            return try ZMQCurveKeyPair(secretKey: secret)
        } catch {
            throw ConfigurationError("\(name) is not a CURVE secret key (40 Z85 characters, as shouwang keys create writes it)")
        }
    }
}
