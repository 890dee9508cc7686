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
        let (results, valid) = table.sorted({ ResidentImportRow.resident($0) }, for: access, area: \.compound, noun: "compound")
        return try await dependencies.writes.perform(request, context: context, body: raw) { [results, valid] connection in
            let imported = try await ResidentImportStore(connection: connection, logger: dependencies.logger).importRows(valid, by: access)
            return try StoredResponse(json: ImportAnswer(results + imported))
        }
    }
}
