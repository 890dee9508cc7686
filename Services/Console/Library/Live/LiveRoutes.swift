import Foundation
import Hummingbird
import Models
import NIOCore
import ServiceKit
import ServiceLifecycle
import Synchronization

/// `GET /live/{channel}`: a Server-Sent Events stream telling an open page, at most four
/// times a second, that what it shows has changed, so it fetches its parts again. It carries
/// no data of its own (the page's fetch goes through the viewer's scope like any page), only
/// `event: changed`, and a comment every 15 s so proxies keep the connection.
struct LiveRoutes: Sendable {
    let console: Console

    func add(to router: Router<ServiceRequestContext>) {
        // A volunteer's own page: news about them alone, through the cookie of their personal link.
        router.get("/live/me") { request, _ in
            let feed = console.live
            return await console.volunteer(request) { visit in
                let volunteer = visit.volunteerID
                return Self.response { writer in
                    try await Self.stream(feed: feed, to: &writer) { LiveChannel.concernsVolunteer($0, volunteer: volunteer) }
                }
            }
        }
        router.get("/live/:channel") { request, context in
            guard let channel = context.parameters.get("channel").flatMap(LiveChannel.init(rawValue:)) else {
                return Response(status: .notFound)
            }
            let feed = console.live
            return await console.staff(request, roles: channel.roles) { visit in
                let scope = visit.account.area
                return Self.response { writer in
                    try await Self.stream(feed: feed, to: &writer) { channel.concerns($0, scope: scope) }
                }
            }
        }
    }

    /// Writes `changed` at most every 250 ms while news that `concerns` the page comes, and a
    /// keep-alive after 15 s of quiet. Ends when the client goes (a write fails) or the console
    /// shuts down gracefully.
    static func response(_ body: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: ResponseBody(contentLength: nil, body))
    }

    static func stream(
        feed: LiveFeed, to writer: inout any ResponseBodyWriter, concerns: @escaping @Sendable (LiveFeed.News) -> Bool
    ) async throws {
        try await writer.write(ByteBuffer(string: "retry: 2000\n: open\n\n"))
        let pending = PendingFlag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await news in feed.listen().cancelOnGracefulShutdown() where concerns(news) { pending.set() }
            }
            var quiet = 0
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try await Task.sleep(for: .milliseconds(250))
                if pending.take() {
                    try await writer.write(ByteBuffer(string: "event: changed\ndata: {}\n\n"))
                    quiet = 0
                } else {
                    quiet += 1
                    if quiet >= 60 {
                        try await writer.write(ByteBuffer(string: ": alive\n\n"))
                        quiet = 0
                    }
                }
            }
            group.cancelAll()
        }
        try await writer.finish(nil)
    }
}

/// A flag set by the news reader and taken by the ticker.
final class PendingFlag: Sendable {
    private let flag = Synchronization.Mutex(false)
    func set() { flag.withLock { $0 = true } }
    func take() -> Bool {
        flag.withLock { value in
            defer { value = false }
            return value
        }
    }
}
