import Foundation
import Hummingbird
import Models
import ServiceKit
import Tabular

/// Bulk import of the registry (`POST /v1/residents:import`): a station's spreadsheet of
/// vulnerable residents, CSV or Excel, checked row by row like single registrations and
/// answered row by row. Re-uploading the same file is safe: rows whose ID number is
/// registered come back `unchanged` and write nothing.
///
/// The whole upload is one transaction: every row's result is stored, or — when the
/// database fails midway — none, and the file can simply be sent again. Rows do not depend
/// on one another: an invalid or out-of-area row is answered as such and the others go in.
struct ResidentImportRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/residents:import") { request, context in try await importRegistry(request, context) }
    }

    private func importRegistry(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let access = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let (table, raw) = try await request.importTable(context: context, columns: ResidentImportRow.columns)
        var results: [ImportAnswer.Result] = []
        var valid: [(row: Int, resident: VulnerableResident)] = []
        for record in table.records {
            switch ResidentImportRow.resident(record) {
            case .failure(let invalid):
                results.append(
                    .init(row: record.row, status: .invalid, errors: invalid.fields.map { .init(field: $0.field, message: $0.message) }))
            case .success(let resident) where !access.covers(resident.compound):
                results.append(
                    .init(row: record.row, status: .outOfArea, reason: "compound \(resident.compound.rawValue) is outside your area"))
            case .success(let resident): valid.append((record.row, resident))
            }
        }
        return try await dependencies.writes.perform(request, context: context, body: raw) { [results, valid] connection in
            let imported = try await ResidentImportStore(connection: connection, logger: dependencies.logger).importRows(valid, by: access)
            return try StoredResponse(json: ImportAnswer(results + imported))
        }
    }
}
