import Crypto
import Foundation
import Hummingbird
import Logging
import Models
import PostgresNIO
import Store

/// A write's answer, kept so a retried request gets the same one.
public struct StoredResponse: Sendable {
    public var status: HTTPResponse.Status
    public var body: [UInt8]

    public init(status: HTTPResponse.Status, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    public init(status: HTTPResponse.Status = .ok, json value: some Encodable) throws {
        self.init(status: status, body: try JSONResponse.encode(value))
    }

    public var response: Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Runs a write in one transaction, at most once per `Idempotency-Key`.
///
/// The key's row is inserted first, inside the write's transaction: a second request with
/// the same key — on this replica or another, at the same moment — waits on that row,
/// then finds it committed and answers with the stored response. If the first write fails,
/// its row disappears with it and the retry runs for real. The same key with a different
/// body is refused (422), since it means the client reused a key by mistake.
public struct IdempotentWriter: Sendable {
    public let service: String
    let client: PostgresClient
    let logger: Logger

    public init(service: String, client: PostgresClient, logger: Logger) {
        self.service = service
        self.client = client
        self.logger = logger
    }

    /// The longest `Idempotency-Key`, in UTF-8 bytes: a UUID is 36. Counted in bytes, not
    /// characters, because a character can be any number of bytes (combining marks) and the
    /// key is stored and indexed; anything printable up to this length is accepted, so every
    /// client that worked before (UUIDs, short ASCII) still does.
    public static let maximumKeyBytes = 200

    /// Runs `write` for `request` (whose body is `body`), honouring its `Idempotency-Key`;
    /// `context` tells anonymous callers apart (``caller(authorization:clientAddress:)``).
    public func perform(
        _ request: Request, context: ServiceRequestContext, body: [UInt8],
        _ write: @Sendable (PostgresConnection) async throws -> StoredResponse
    ) async throws -> Response {
        // A deadlock victim runs again: its transaction left nothing behind, key row included.
        guard let clientKey = request.headers[.init("Idempotency-Key")!] else {
            return try await TransientConflict.retrying {
                try await client.transaction(logger: logger) { connection in try await write(connection) }
            }.response
        }
        guard (1...Self.maximumKeyBytes).contains(clientKey.utf8.count) else {
            throw ProblemDetails(
                status: .badRequest, detail: "Idempotency-Key must be 1–\(Self.maximumKeyBytes) bytes of UTF-8 (a UUID is 36).",
                errors: [.init(field: "Idempotency-Key", message: "must be 1–\(Self.maximumKeyBytes) bytes")]
            )
        }
        // Keys belong to their caller: two devices numbering their keys alike never collide,
        // and nobody reads another caller's stored answer.
        let caller = Self.caller(
            authorization: request.headers[.authorization], clientAddress: context.clientAddress ?? context.remoteAddress?.ipAddress
        )
        let key = caller + ":" + clientKey
        let hash = Self.hash(method: request.method.rawValue, path: request.uri.path, body: body)
        let stored = try await TransientConflict.retrying {
            try await client.transaction(logger: logger) { connection -> StoredResponse in
                let claimed =
                    try await connection.query(
                        """
                        INSERT INTO idempotency_keys (service, key, request_hash) VALUES (\(service), \(key), \(hash))
                        ON CONFLICT (service, key) DO NOTHING RETURNING 1
                        """,
                        logger: logger
                    ).collect().count == 1
                guard claimed else { return try await previous(key: key, hash: hash, on: connection) }
                let response = try await write(connection)
                try await connection.query(
                    "UPDATE idempotency_keys SET status = \(Int(response.status.code)), body = \(ByteBuffer(bytes: response.body)) WHERE service = \(service) AND key = \(key)",
                    logger: logger
                )
                return response
            }
        }
        return stored.response
    }

    private func previous(key: String, hash: String, on connection: PostgresConnection) async throws -> StoredResponse {
        for try await (storedHash, status, body) in try await connection.query(
            "SELECT request_hash, status, body FROM idempotency_keys WHERE service = \(service) AND key = \(key)", logger: logger
        ).decode((String, Int?, ByteBuffer?).self) {
            guard storedHash == hash else {
                throw ProblemDetails(
                    status: .unprocessableContent, detail: "This Idempotency-Key was already used for a different request; use a new key.")
            }
            guard let status, let body else { break }
            return StoredResponse(status: .init(code: status), body: Array(buffer: body))
        }
        throw ProblemDetails(status: .conflict, detail: "A request with this Idempotency-Key is still being processed; retry shortly.")
    }

    /// Who is asking, for namespacing keys: a digest of the bearer token; without one, a
    /// digest of the client's address (the anonymous endpoints — sign-up, a resident's
    /// request — answer with ids nobody else should read, and "1" is a key two devices may
    /// well both use). `public` only when there is no address either (a router tested
    /// in-process). Digests, so the table holds neither tokens nor addresses; devices behind
    /// one address (a NAT) still share a namespace, and a retry from a new address runs anew.
    static func caller(authorization: String?, clientAddress: String?) -> String {
        func digest(_ text: String) -> String {
            SHA256.hash(data: Array(text.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        }
        if let authorization { return digest(authorization) }
        guard let clientAddress else { return "public" }
        return "anonymous-" + digest("address " + clientAddress)
    }

    /// The request's fingerprint; a JSON body is hashed in a canonical form (sorted keys, no
    /// whitespace), so a client that re-serialises the same data is still recognised.
    static func hash(method: String, path: String, body: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("\(method) \(path)\n".utf8))
        if let value = try? JSONParser.parse(body) {
            hasher.update(data: Array(value.canonicalText.utf8))
        } else {
            hasher.update(data: body)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
