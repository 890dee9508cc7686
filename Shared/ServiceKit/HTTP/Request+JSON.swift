import Foundation
import Hummingbird
import Models

extension Request {
    /// Decodes the JSON body; a body that is not JSON of the expected shape, or that
    /// ``JSONBodyCheck`` refuses, is a 400 whose `errors` name the offending field.
    public func decodeJSON<T: Decodable>(as type: T.Type, context: some RequestContext, maximumBytes: Int = 4 << 20) async throws -> T {
        try await readJSON(as: type, context: context, maximumBytes: maximumBytes).value
    }

    /// The raw body, unchecked, for handlers that parse it themselves or only fingerprint it.
    ///
    /// ``JSONBodyCheck`` does not run here, on purpose: the check-in batch parses with
    /// ``JSONParser`` (which refuses unpaired surrogates and keeps one value per key for both
    /// the batch and its fingerprint) and answers a control character inside one item as
    /// that item's 422 while storing the others; the team and notice actions only hash the
    /// body. A handler that stores what it reads from these bytes runs
    /// `JSONBodyCheck.check` itself, or validates every stored text.
    public func bodyBytes(context: some RequestContext, maximumBytes: Int = 4 << 20) async throws -> [UInt8] {
        do {
            return Array(buffer: try await body.collect(upTo: maximumBytes))
        } catch {
            throw ProblemDetails(status: .contentTooLarge, detail: "The body is larger than \(maximumBytes / 1024) KiB.")
        }
    }

    /// Decodes the JSON body and also returns its bytes (for an idempotency key's hash).
    /// The body passes ``JSONBodyCheck`` first, so no control character, unpaired surrogate,
    /// repeated key or excessive nesting reaches a route (and its database) as a 500.
    public func readJSON<T: Decodable>(
        as type: T.Type, context: some RequestContext, maximumBytes: Int = 4 << 20
    ) async throws -> (value: T, bytes: [UInt8]) {
        let bytes = try await bodyBytes(context: context, maximumBytes: maximumBytes)
        try JSONBodyCheck.check(bytes)
        do {
            return (try JSONDecoder().decode(T.self, from: Data(bytes)), bytes)
        } catch let error as DecodingError {
            throw ProblemDetails(
                status: .badRequest, title: "Unreadable body", detail: "The body is not the JSON this endpoint expects.",
                errors: [error.fieldError])
        }
    }
}

extension DecodingError {
    var fieldError: ProblemDetails.FieldError {
        func path(_ context: Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch self {
        case .typeMismatch(let type, let context): return .init(field: path(context), message: "must be a \(type)")
        case .valueNotFound(_, let context): return .init(field: path(context), message: "is required")
        case .keyNotFound(let key, let context):
            return .init(field: (path(context) + "/" + key.stringValue).trimmingCharacters(in: ["/"]), message: "is required")
        case .dataCorrupted(let context): return .init(field: path(context), message: context.debugDescription)
        @unknown default: return .init(field: "", message: "is not valid JSON")
        }
    }
}

/// A JSON response with a status.
public enum JSONResponse {
    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encode(value))))
    }

    /// Encodes with sorted keys, RFC 3339 millisecond times and lowercase UUIDs — the same
    /// spelling as on the bus, so an integrator can join API answers and events as strings.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Models.Timestamp.format(date))
        }
        var bytes = Array(try encoder.encode(value))
        lowercaseUUIDs(in: &bytes)
        return bytes
    }

    /// Lowercases every UUID-shaped run of bytes (8-4-4-4-12 hex digits) in place: one pass,
    /// no re-parsing, since Foundation spells UUIDs in capitals.
    static func lowercaseUUIDs(in bytes: inout [UInt8]) {
        let dash = UInt8(ascii: "-")
        func isHex(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
        }
        var start = 0
        while start + 36 <= bytes.count {
            // The dashes first: most windows fail there at once.
            guard bytes[start + 8] == dash, bytes[start + 13] == dash, bytes[start + 18] == dash, bytes[start + 23] == dash,
                (start..<(start + 36)).allSatisfy({ [8, 13, 18, 23].contains($0 - start) || isHex(bytes[$0]) })
            else {
                start += 1
                continue
            }
            for index in start..<(start + 36) where (65...70).contains(bytes[index]) { bytes[index] += 32 }
            start += 36
        }
    }
}
