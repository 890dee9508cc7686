import EventBus
import Hummingbird
import ServiceKit

/// What a client asks of the event stream, validated: the prefix (`?prefix=`: empty for
/// everything, a prefix ending in a dot, or one topic) and where to start — after the
/// cursor of `Last-Event-ID` (or `?after=`, for clients that cannot set headers), else
/// `?from=now` (the default: only what happens from now on) or `?from=beginning`.
struct EventStreamForm: Sendable {
    var prefix: String
    var cursor: EventStreamCursor
    /// Where the subscriber starts; a stream `from=now` starts after the heads it asks first.
    var start: SubscriberStateMachine.StartPosition
    var fromNow: Bool

    init(request: Request) throws(ProblemDetails) {
        let query = request.uri.queryParameters
        var errors: [ProblemDetails.FieldError] = []
        let prefix = query["prefix"].map(String.init)
        if prefix == nil {
            errors.append(
                .init(
                    field: "prefix",
                    message: "required: a topic prefix ending in a dot (intake.request.), one topic, or empty for everything granted"))
        } else if let prefix, !prefix.isEmpty && !EventStreamCursor.isTopic(prefix) {
            errors.append(.init(field: "prefix", message: "must be printable ASCII without spaces, at most 200 bytes"))
        }
        let given = (request.headers[.init("Last-Event-ID")!] ?? query["after"].map(String.init)).flatMap { $0.isEmpty ? nil : $0 }
        var cursor = EventStreamCursor()
        if let given {
            if let read = EventStreamCursor(text: given) {
                cursor = read
            } else {
                errors.append(
                    .init(
                        field: "Last-Event-ID",
                        message: "is not an id this stream sent; reconnect without it (?from=now or ?from=beginning)"))
            }
        }
        let from = query["from"].map(String.init) ?? "now"
        if !["now", "beginning"].contains(from) { errors.append(.init(field: "from", message: "must be now or beginning")) }
        guard errors.isEmpty, let prefix else { throw ProblemDetails.validation(errors) }
        self.prefix = prefix
        self.cursor = cursor.within(prefix)
        self.fromNow = given == nil && from == "now"
        self.start = given != nil ? .after(self.cursor.positions) : .beginning
    }
}

extension BusEndpoints {
    /// These endpoints as a client on this host reaches them: a bus bound to every
    /// interface (`tcp://*:5551`, `tcp://0.0.0.0:5551`) is reached on the loopback.
    var seenFromThisHost: BusEndpoints {
        func local(_ endpoint: String) -> String {
            for wildcard in ["tcp://*:", "tcp://0.0.0.0:"] where endpoint.hasPrefix(wildcard) {
                return "tcp://127.0.0.1:" + endpoint.dropFirst(wildcard.count)
            }
            return endpoint
        }
        return BusEndpoints(publish: local(publish), subscribe: local(subscribe), replay: local(replay), credentials: credentials)
    }
}
