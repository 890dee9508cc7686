import CZeroMQ

/// The socket types the bus uses.
public enum ZMQSocketType: Sendable, CustomStringConvertible {
    case publisher, subscriber, extendedPublisher, extendedSubscriber
    case router, dealer, request, reply, pair

    var rawValue: Int32 {
        switch self {
        case .publisher: ZMQ_PUB
        case .subscriber: ZMQ_SUB
        case .extendedPublisher: ZMQ_XPUB
        case .extendedSubscriber: ZMQ_XSUB
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .request: ZMQ_REQ
        case .reply: ZMQ_REP
        case .pair: ZMQ_PAIR
        }
    }

    public var description: String {
        switch self {
        case .publisher: "PUB"
        case .subscriber: "SUB"
        case .extendedPublisher: "XPUB"
        case .extendedSubscriber: "XSUB"
        case .router: "ROUTER"
        case .dealer: "DEALER"
        case .request: "REQ"
        case .reply: "REP"
        case .pair: "PAIR"
        }
    }
}
