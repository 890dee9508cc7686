import Foundation
import Hummingbird
import Models
import ServiceKit
import Store

/// Donations from pledge to shelf: donors (enterprises, organizations, individuals), public
/// calls for donations (捐赠倡议) with their progress, pledges, and receipts — one or
/// several deliveries, each becoming lots with their expiry dates, and a receipt for the donor.
struct DonationRoutes {
    let dependencies: ServiceDependencies

    struct Created: Codable { var id: UUID }

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/donors") { request, context in try await createDonor(request, context) }
        router.post("/v1/donation-drives") { request, context in try await createDrive(request, context) }
        router.get("/v1/donation-drives/{id}") { _, context in try await drive(context) }
        router.post("/v1/pledges") { request, context in try await pledge(request, context) }
        router.post("/v1/receipts") { request, context in try await receive(request, context) }
        router.get("/v1/receipts/{id}") { request, context in try await receipt(request, context) }
    }

    private func createDonor(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: DonorForm.self, context: context)
        let donor = try form.validated()
        try Scope.require(access, covers: donor.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await DonationStore(connection: connection, logger: dependencies.logger).create(donor)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    private func createDrive(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: DriveForm.self, context: context)
        let drive = try form.validated()
        try Scope.require(access, covers: drive.area)
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await DonationStore(connection: connection, logger: dependencies.logger).create(drive)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    /// A call for donations is public: its page shows the target and how far pledges and
    /// deliveries have come, never who gave.
    private func drive(_ context: ServiceRequestContext) async throws -> Response {
        let id = try context.requireUUID("id", what: "call for donations")
        let progress = try await dependencies.client.withConnection { connection in
            try await DonationStore(connection: connection, logger: dependencies.logger).progress(ofDrive: id)
        }
        guard let progress else { throw ProblemDetails(status: .notFound, detail: "No such call for donations.") }
        return try JSONResponse.make(progress)
    }

    private func pledge(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: PledgeForm.self, context: context)
        let pledge = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let id = try await DonationStore(connection: connection, logger: dependencies.logger).pledge(pledge, by: access)
            return try StoredResponse(status: .created, json: Created(id: id))
        }
    }

    /// One delivery of donated (or bought) stock: each line becomes a lot on the depot's
    /// shelf, with its expiry date, and counts against the pledge it fulfils.
    private func receive(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (form, raw) = try await request.readJSON(as: ReceiptForm.self, context: context)
        let receipt = try form.validated()
        return try await dependencies.writes.perform(request, context: context, body: raw) { connection in
            let stored = try await ReceiptStore(connection: connection, logger: dependencies.logger).receive(receipt, by: access)
            return try StoredResponse(status: .created, json: stored)
        }
    }

    private func receipt(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let id = try context.requireUUID("id", what: "receipt")
        let receipt = try await dependencies.client.withConnection { connection -> ReceiptStore.Receipt? in
            let store = ReceiptStore(connection: connection, logger: dependencies.logger)
            guard let depot = try await store.depot(ofReceipt: id) else { return nil }
            _ = try await DepotAccess(connection: connection, logger: dependencies.logger).require(depot, access)
            return try await store.read(id)
        }
        guard let receipt else { throw ProblemDetails(status: .notFound, detail: "No such receipt.") }
        return try JSONResponse.make(receipt)
    }
}
