import Foundation
import Logging
import Models
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Store

/// Reservations that arrive together, written as one ``ReservationBatch`` per transaction
/// (a ``CoalescingWriter``): each caller is answered after its batch's commit.
///
/// When another process took a planned lot meanwhile, the batch is rolled back and run again
/// with its lots locked before the plan: slower, never wrong.
struct ReservationWriter: Service {
    private let coalescer: CoalescingWriter<ReservationBatch.Job, Reservation>

    /// Reservations per transaction at most: enough to drain a surge, small enough that one
    /// batch's statements stay short.
    static let maximumBatch = 200

    /// Batches in flight at once.
    static let defaultWriters = 2

    init(client: PostgresClient, logger: Logger, writers: Int = defaultWriters) {
        coalescer = CoalescingWriter(what: "reservations", maximumBatch: Self.maximumBatch, writers: writers) { jobs in
            try await Self.write(jobs, client: client, logger: logger)
        }
    }

    /// Writes `jobs` as one batch; when a lot was taken meanwhile, once more with the lots
    /// locked first. (Should that fail whole too, the coalescing writer writes each alone.)
    static func write(_ jobs: [ReservationBatch.Job], client: PostgresClient, logger: Logger) async throws
        -> [Result<Reservation, any Error>]
    {
        do {
            return try await batch(jobs, lockingLots: false, client: client, logger: logger)
        } catch is ReservationBatch.LotTakenMeanwhile {
            return try await batch(jobs, lockingLots: true, client: client, logger: logger)
        }
    }

    private static func batch(_ jobs: [ReservationBatch.Job], lockingLots: Bool, client: PostgresClient, logger: Logger)
        async throws -> [Result<Reservation, any Error>]
    {
        try await TransientConflict.retrying {
            try await client.transaction(logger: logger) { connection in
                try await ReservationBatch(connection: connection, logger: logger).reserve(jobs, lockingLots: lockingLots)
            }
        }
    }

    /// Reserves `reservation` for `access` with whatever else is queued; returns it after the commit.
    func reserve(_ reservation: NewReservation, by access: AccessToken) async throws -> Reservation {
        try await coalescer.submit(ReservationBatch.Job(reservation: reservation, access: access))
    }

    func run() async throws { try await coalescer.run() }
}
