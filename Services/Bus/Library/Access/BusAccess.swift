import EventBus
import Logging
import Metrics
import Synchronization
import ZeroMQ

/// Who may use this bus process right now: the snapshot of active keys that the ZAP
/// handler, the forwarder and the replay endpoint all consult.
///
/// Shared state between the key watch (which swaps in a new ring every few seconds) and
/// three socket threads (which read it), so it sits behind a `Mutex`. The socket threads
/// keep their own copy and refresh it when ``generation`` moves, so the per-message path
/// costs one atomic load, not a lock.
///
/// Until the first ring is loaded, every handshake is refused: the bus fails closed.
public final class BusAccess: Sendable {
    private struct State {
        /// The keys registered in the database, as last loaded.
        var registered: BusKeyRing?
        /// What the sockets honour: the registered keys and the event stream's own
        /// (``streamCredentials(for:)``).
        var ring: BusKeyRing?
        /// Names withdrawn (revoked, deleted or changed) since the forwarder last looked.
        var withdrawn: Set<String> = []
        /// The event stream's key pair per integrator key name, made on first use.
        var streamKeys: [String: ZMQCurveKeyPair] = [:]
    }

    /// The suffix of an event stream key's name: `~` is never in a registered name
    /// (``BusKeyStore``), so these cannot collide with one.
    public static let streamKeySuffix = "~events"

    private let state = Mutex(State())
    /// Every refusal line of this bus process goes through this budget.
    let refusals: RefusalLog
    private let generationCounter = Atomic<Int>(0)
    /// `nil`: the bus runs without CURVE and grants everything (`SHOUWANG_BUS_INSECURE=1`).
    public let security: BusServerSecurity?
    private let logger: Logger
    private let refusedHandshakes = Counter(label: "shouwang_bus_handshakes_refused_total")

    public init(security: BusServerSecurity?, logger: Logger) {
        self.security = security
        self.logger = logger
        self.refusals = RefusalLog(logger: logger)
    }

    /// Bumped whenever the ring changes.
    public var generation: Int { generationCounter.load(ordering: .acquiring) }

    /// Whether a ring has been loaded (readiness).
    public var isLoaded: Bool { security == nil || state.withLock { $0.ring != nil } }

    /// The current ring; `nil` before the first load.
    public var ring: BusKeyRing? { state.withLock { $0.ring } }

    /// Swaps in `next`, the registered keys, remembering which keys it withdraws.
    public func install(_ next: BusKeyRing) {
        let changed = state.withLock { state -> Bool in
            state.registered = next
            return Self.settle(&state)
        }
        if changed { generationCounter.add(1, ordering: .releasing) }
    }

    /// The key the HTTP event stream (``EventStreamRoute``) connects with to read as the
    /// integrator key `name`: a key pair of this process, never stored, whose grant is the
    /// integrator's own — the same prefixes, the same replay budget — and which goes when
    /// the integrator's key is revoked, so the bus itself cuts the stream. `nil` when `name`
    /// is not an active integrator key, or the bus runs without CURVE (and so has no keys).
    public func streamCredentials(for name: String) throws -> BusCredentials? {
        guard let security else { return nil }
        let fresh = try ZMQCurveKeyPair.generate()
        let (keys, changed) = state.withLock { state -> (ZMQCurveKeyPair?, Bool) in
            guard let grant = state.registered?[name: name], grant.role == .integrator else { return (nil, false) }
            if let known = state.streamKeys[name] { return (known, false) }
            state.streamKeys[name] = fresh
            return (fresh, Self.settle(&state))
        }
        if changed { generationCounter.add(1, ordering: .releasing) }
        return keys.map { BusCredentials(serverKey: security.keys.publicKey, keys: $0) }
    }

    /// The grant of integrator key `name` now, `nil` once it is revoked.
    public func integratorGrant(_ name: String) -> BusKeyGrant? {
        state.withLock { $0.registered?[name: name] }.flatMap { $0.role == .integrator ? $0 : nil }
    }

    /// Recomputes the honoured ring from the registered keys and the stream keys of the
    /// integrators still registered; returns whether it changed.
    private static func settle(_ state: inout State) -> Bool {
        guard let registered = state.registered else { return false }
        var grants = Array(registered.byName.values)
        for (name, keys) in state.streamKeys {
            guard let grant = registered[name: name], grant.role == .integrator else {
                state.streamKeys[name] = nil
                continue
            }
            grants.append(
                BusKeyGrant(
                    name: name + streamKeySuffix, publicKey: keys.publicKey, role: .integrator, stream: nil, prefixes: grant.prefixes))
        }
        let next = BusKeyRing(grants)
        guard state.ring != next else { return false }
        if let previous = state.ring { state.withdrawn.formUnion(previous.withdrawn(in: next)) }
        state.ring = next
        return true
    }

    /// Names withdrawn since the last call (the forwarder cuts their live connections).
    public func takeWithdrawn() -> Set<String> {
        state.withLock { state in
            defer { state.withdrawn = [] }
            return state.withdrawn
        }
    }

    /// The ZAP handler's answer for a handshake: known, active keys whose role may use the
    /// socket (its ZAP domain, ``BusServerSecurity/Socket``) get their name as the
    /// connection's user id; everything else is refused, and counted.
    public func decide(_ request: ZAPRequest) -> ZAPDecision {
        let decision: ZAPDecision
        if request.mechanism != "CURVE" {
            decision = .refuse(reason: "this bus accepts CURVE only")
        } else if let grant = ring?[publicKey: request.publicKey] {
            if let socket = BusServerSecurity.Socket(rawValue: request.domain), !socket.admits(grant.role) {
                decision = .refuse(reason: "a \(grant.role.rawValue) key may not use the \(socket.rawValue) socket")
            } else {
                decision = .allow(userId: grant.name)
            }
        } else {
            decision = .refuse(reason: ring == nil ? "the bus has not loaded its key list yet" : "unknown or revoked key")
        }
        if case .refuse(let reason) = decision {
            refusedHandshakes.increment()
            // The public key is not personal data; the address helps find a misconfigured client.
            refusals.warning(
                "bus refused a connection",
                metadata: [
                    "address": "\(request.address)", "key": "\(request.publicKey ?? "-")", "socket": "\(request.domain)",
                    "reason": "\(reason)",
                ],
                atMilliseconds: MonotonicClock.milliseconds()
            )
        } else {
            Counter(
                label: "shouwang_bus_handshakes_accepted_total",
                dimensions: [("key", request.publicKey.flatMap { ring?[publicKey: $0]?.name } ?? "-")]
            ).increment()
        }
        return decision
    }
}
