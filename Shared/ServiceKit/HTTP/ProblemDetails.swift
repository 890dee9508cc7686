import Foundation
import Hummingbird
import Models
import PostgresNIO
import Store

/// An error answered as `application/problem+json` (RFC 9457), with a field-by-field list
/// for validation failures, so a client can show each mistake next to its field.
public struct ProblemDetails: HTTPResponseError, Sendable, Codable, Equatable {
    /// One invalid field: a JSON pointer-like path (`members/2/phone`) and what is wrong.
    public struct FieldError: Sendable, Codable, Equatable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var type: String
    public var title: String
    public var statusCode: Int
    public var detail: String?
    public var errors: [FieldError]?
    /// A related resource, e.g. the earlier record a duplicate points to.
    public var related: String?
    /// Sent as the `Retry-After` header (seconds), not in the body: a 429's or 503's wait.
    public var retryAfterSeconds: Int?

    public var status: HTTPResponse.Status { .init(code: statusCode) }

    enum CodingKeys: String, CodingKey {
        case type, title
        case statusCode = "status"
        case detail, errors, related
    }

    public init(
        status: HTTPResponse.Status, title: String? = nil, detail: String? = nil, errors: [FieldError]? = nil,
        related: String? = nil, type: String = "about:blank"
    ) {
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
        self.related = related
    }

    /// A 422 listing every invalid field.
    public static func validation(_ errors: [FieldError]) -> ProblemDetails {
        ProblemDetails(
            status: .unprocessableContent, title: "Invalid request", detail: "\(errors.count) field(s) are invalid", errors: errors)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(self)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(
            status: status,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

/// Turns every error a route throws into problem+json: ours as they are, Hummingbird's
/// `HTTPError` with its status, and anything else as a 500 that reveals nothing internal.
public struct ProblemDetailsMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    /// A write naming a record that does not exist (foreign key, SQLSTATE 23503) is the
    /// client's mistake: 422 naming the constraint, never the values.
    static func referenceProblem(_ error: any Error) -> ProblemDetails? {
        let underlying = (error as? PostgresTransactionError)?.closureError ?? error
        guard let error = underlying as? PSQLError, error.serverInfo?[.sqlState] == "23503" else { return nil }
        return ProblemDetails(
            status: .unprocessableContent, title: "Unknown reference",
            detail: "The request refers to a record that does not exist (\(error.serverInfo?[.constraintName] ?? "reference"))."
        )
    }

    /// What the domain said, thrown by a store or a state machine (possibly through a
    /// transaction), as HTTP: a ``DomainRefusal`` is 409 with its reason, ``NotFound`` 404,
    /// ``InvalidFields`` 422 naming each field. Mapped here once, so stores and state machines
    /// speak the domain's words (a store's 503 for "busy, resend" is the one HTTP type left).
    static func domainRefusal(_ error: any Error) -> ProblemDetails? {
        switch (error as? PostgresTransactionError)?.closureError ?? error {
        case let refusal as any DomainRefusal:
            ProblemDetails(status: .conflict, title: refusal.title, detail: refusal.description)
        case let missing as NotFound:
            ProblemDetails(status: .notFound, detail: missing.description)
        case let invalid as InvalidFields:
            .validation(invalid.fields.map { ProblemDetails.FieldError(field: $0.field, message: $0.message) })
        default:
            nil
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            throw problem
        } catch let error as HTTPError {
            throw ProblemDetails(status: error.status, detail: error.body)
        } catch let error as any HTTPResponseError {
            throw ProblemDetails(status: error.status)
        } catch {
            // Each mapping is asked once: the domain's words first, then a dangling reference.
            if let problem = Self.domainRefusal(error) ?? Self.referenceProblem(error) { throw problem }
            context.logger.error("request failed", metadata: ["error": "\(LoggableError.describe(error))"])
            throw ProblemDetails(status: .internalServerError, detail: "The service could not complete the request; it has been logged.")
        }
    }
}
