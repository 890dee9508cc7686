import Hummingbird

/// Sets ``ServiceRequestContext/clientAddress`` for every request, following
/// `X-Forwarded-For` only through ``TrustedProxies``.
public struct ClientAddressMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let trusted: TrustedProxies

    public init(trusted: TrustedProxies) {
        self.trusted = trusted
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = context.remoteAddress?.ipAddress else { return try await next(request, context) }
        var context = context
        context.clientAddress = trusted.clientAddress(peer: peer, forwardedFor: request.headers[values: .init("X-Forwarded-For")!])
        return try await next(request, context)
    }
}
