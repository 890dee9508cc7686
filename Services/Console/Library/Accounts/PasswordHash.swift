import Crypto
import CryptoExtras
import Foundation
import ServiceKit

/// A staff password as stored: scrypt, a memory-hard KDF, so a stolen table costs an attacker
/// 32 MiB and tens of milliseconds per guess per account, on any hardware.
///
/// Stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url), so the cost can be raised
/// later and old hashes still verify with the parameters they were made with.
struct PasswordHash: Sendable, Equatable {
    var logRounds: Int
    var blockSize: Int
    var parallelism: Int
    var salt: Data
    var key: Data

    /// N = 2^15, r = 8, p = 1: 32 MiB a hash (RFC 7914's interactive-login figure).
    static let defaultLogRounds = 15

    /// A fresh hash of `password` with a random salt.
    static func make(_ password: String, logRounds: Int = defaultLogRounds) throws -> PasswordHash {
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        return PasswordHash(
            logRounds: logRounds, blockSize: 8, parallelism: 1, salt: salt,
            key: try derive(password, salt: salt, logRounds: logRounds, blockSize: 8, parallelism: 1))
    }

    private static func derive(_ password: String, salt: Data, logRounds: Int, blockSize: Int, parallelism: Int) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Data(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logRounds, blockSize: blockSize,
            parallelism: parallelism)
        return key.withUnsafeBytes { Data($0) }
    }

    /// Whether `password` is the one this hash was made from (compared in constant time).
    func matches(_ password: String) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        else { return false }
        guard derived.count == key.count else { return false }
        return zip(derived, key).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    var stored: String {
        "scrypt$\(logRounds)$\(blockSize)$\(parallelism)$\(salt.base64URLEncoded)$\(key.base64URLEncoded)"
    }

    /// Reads a stored hash; `nil` for anything else (an account whose hash is damaged cannot sign in).
    init?(stored: String) {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logRounds = Int(parts[1]), (10...20).contains(logRounds),
            let blockSize = Int(parts[2]), (1...16).contains(blockSize), let parallelism = Int(parts[3]), (1...4).contains(parallelism),
            let salt = Data(base64URLEncoded: parts[4]), let key = Data(base64URLEncoded: parts[5]), key.count == 32
        else { return nil }
        self.init(logRounds: logRounds, blockSize: blockSize, parallelism: parallelism, salt: salt, key: key)
    }

    init(logRounds: Int, blockSize: Int, parallelism: Int, salt: Data, key: Data) {
        self.logRounds = logRounds
        self.blockSize = blockSize
        self.parallelism = parallelism
        self.salt = salt
        self.key = key
    }
}
