import Hummingbird
import NIOCore

/// The request context of every Shouwang route: Hummingbird's core storage, the socket's
/// peer, and the client address ``ClientAddressMiddleware`` works out from them (the peer
/// itself, or the address a trusted proxy forwarded).
///
/// Routes read ``clientAddress`` (rate limits, refusal logs), never `X-Forwarded-For`:
/// that header is whatever the client wrote unless a trusted proxy wrote it.
public struct ServiceRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The socket's peer: the client, or the balancer in front of this replica.
    public let remoteAddress: SocketAddress?
    /// The client's address as far as it can be trusted; `nil` when there is no socket
    /// (a router tested in-process).
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
