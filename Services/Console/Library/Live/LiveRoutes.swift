import Foundation
import Hummingbird
import Models
import NIOCore
import ServiceKit
import ServiceLifecycle
import Synchronization

/// `GET /live/{channel}` and `GET /live/me`: a Server-Sent Events stream telling an open page,
/// at most four times a second, that what it shows has changed, so it fetches its parts
/// again. It carries no data of its own (the page's fetch goes through the viewer's scope like
/// any page), only `event: changed`, and a comment every 15 s so proxies keep the
/// connection — at which the viewer's session or link is checked again, so a signed-out
/// session or a revoked link stops being told anything.
struct LiveRoutes: Sendable {
    let console: Console
    let slots: LiveSlots

    init(console: Console, slots: LiveSlots = LiveSlots()) {
        self.console = console
        self.slots = slots
    }

    func add(to router: Router<ServiceRequestContext>) {
        // A volunteer's own page: news about them alone, through the cookie of their personal link.
        router.get("/live/me") { request, _ in
            let (feed, tokens, slots) = (console.live, console.tokens, slots)
            return await console.volunteer(request) { visit in
                let volunteer = visit.volunteerID
                let token = request.cookies[Console.volunteerCookie]?.value ?? ""
                return Self.response { writer in
                    try await Self.stream(
                        feed: feed, slots: slots, viewer: "volunteer:\(volunteer)", to: &writer,
                        concerns: { LiveChannel.concernsVolunteer($0, volunteer: volunteer) },
                        stillAllowed: { (try? tokens.verify(token)) != nil })
                }
            }
        }
        router.get("/live/:channel") { request, context in
            guard let channel = context.parameters.get("channel").flatMap(LiveChannel.init(rawValue:)) else {
                return Response(status: .notFound)
            }
            let (feed, sessions, slots) = (console.live, console.sessions, slots)
            return await console.staff(request, roles: channel.roles) { visit in
                let scope = visit.account.area
                let token = request.cookies[Console.sessionCookie]?.value ?? ""
                return Self.response { writer in
                    try await Self.stream(
                        feed: feed, slots: slots, viewer: "account:\(visit.account.id)", to: &writer,
                        concerns: { channel.concerns($0, scope: scope) },
                        stillAllowed: { (try? await sessions.session(token: token)) != nil })
                }
            }
        }
    }

    static func response(_ body: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: ResponseBody(contentLength: nil, body))
    }

    /// Writes `changed` when news that `concerns` the page comes (then waits 250 ms, so a burst
    /// is one fetch), and a keep-alive after 15 s of quiet. A stream sleeps until one of the
    /// two: thousands of idle pages cost no wake-ups. Ends when the client goes (a write
    /// fails), the viewer is no longer allowed, or the console shuts down gracefully. A viewer
    /// with too many streams open is told to retry later, in the body: an EventSource gives up
    /// on any status but 200.
    static func stream(
        feed: LiveFeed, slots: LiveSlots, viewer: String, to writer: inout any ResponseBodyWriter,
        concerns: @escaping @Sendable (LiveFeed.News) -> Bool, stillAllowed: @escaping @Sendable () async -> Bool
    ) async throws {
        guard slots.take(for: viewer) else {
            try await writer.write(ByteBuffer(string: ": too many live pages open; retrying later\nretry: 30000\n\n"))
            try await writer.finish(nil)
            return
        }
        defer { slots.give(for: viewer) }
        try await writer.write(ByteBuffer(string: "retry: 2000\n: open\n\n"))
        let pending = PendingFlag()
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await news in feed.listen() where concerns(news) {
                    pending.set()
                    wake.yield()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(15))
                    wake.yield()
                }
            }
            for await _ in wakes.cancelOnGracefulShutdown() {
                if pending.take() {
                    try await writer.write(ByteBuffer(string: "event: changed\ndata: {}\n\n"))
                    try await Task.sleep(for: .milliseconds(250))
                } else {
                    guard await stillAllowed() else { break }
                    try await writer.write(ByteBuffer(string: ": alive\n\n"))
                }
            }
            group.cancelAll()
        }
        try await writer.finish(nil)
    }
}

/// A flag set by the news reader and taken by the writer.
final class PendingFlag: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    func take() -> Bool {
        flag.withLock { value in
            defer { value = false }
            return value
        }
    }
}
