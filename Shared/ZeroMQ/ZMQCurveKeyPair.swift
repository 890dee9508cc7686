import CZeroMQ

/// A CURVE key pair in Z85 text (40 characters each), as libzmq's options take them.
///
/// The secret half never leaves the process that owns it: it is read from an environment
/// variable or a file, and only the public half is stored (in the bus's allow-list).
public struct ZMQCurveKeyPair: Sendable, Equatable {
    public let publicKey: String
    public let secretKey: String

    /// A new random key pair (libsodium's generator, through libzmq).
    public static func generate() throws(ZMQError) -> ZMQCurveKeyPair {
        var publicBuffer = [CChar](repeating: 0, count: 41)
        var secretBuffer = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicBuffer, &secretBuffer) == 0 else { throw ZMQError.last("generate a CURVE key pair") }
        return ZMQCurveKeyPair(publicKey: Self.text(publicBuffer), secretKey: Self.text(secretBuffer))
    }

    /// The pair whose secret half is `secretKey`; throws when it is not a Z85 CURVE key.
    public init(secretKey: String) throws(ZMQError) {
        guard Self.isKeyText(secretKey) else {
            throw ZMQError(code: EINVAL, operation: "read a CURVE secret key (expected 40 Z85 characters)")
        }
        var publicBuffer = [CChar](repeating: 0, count: 41)
        let status = secretKey.withCString { zmq_curve_public(&publicBuffer, $0) }
        guard status == 0 else { throw ZMQError.last("derive a CURVE public key") }
        self.init(publicKey: Self.text(publicBuffer), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Whether `text` has the shape of a Z85-encoded 32-byte key.
    public static func isKeyText(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { z85Alphabet.contains($0) }
    }

    /// Z85-encodes a 32-byte binary key (as ZAP hands it over) into its 40-character text.
    public static func text(binaryKey: [UInt8]) -> String? {
        guard binaryKey.count == 32 else { return nil }
        var buffer = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&buffer, binaryKey, 32) != nil else { return nil }
        return text(buffer)
    }

    private static let z85Alphabet = Set(
        Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8))

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
