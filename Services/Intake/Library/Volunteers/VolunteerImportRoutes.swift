import Foundation
import Hummingbird
import Models
import ServiceKit
import Tabular

/// Bulk import of volunteers registered at a station desk
/// (`POST /v1/recruitment-calls/{id}/sign-ups:import`): the desk's list, CSV or Excel, each
/// row signed up to the call as the desk would sign it up alone, and answered row by row.
/// Imported volunteers are pending like every sign-up. Re-uploading the same file is safe:
/// rows whose ID number is registered come back `unchanged` and write nothing.
///
/// The whole upload is one transaction: every row's result is stored, or — when the
/// database fails midway — none, and the file can simply be sent again. Rows do not depend
/// on one another: an invalid, out-of-area or refused row is answered as such and the
/// others go in.
struct VolunteerImportRoutes {
    let dependencies: ServiceDependencies

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/v1/recruitment-calls/{id}/sign-ups:import") { request, context in try await importSignUps(request, context) }
    }

    private func importSignUps(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let desk = try dependencies.tokens.authenticate(request, allowing: [.operator, .staff])
        let call = try context.requireUUID("id", what: "recruitment call")
        let (table, raw) = try await request.importTable(context: context, columns: VolunteerImportRow.columns)
        let (results, valid) = table.sorted({ VolunteerImportRow.volunteer($0) }, for: desk, area: \.community, noun: "community")
        return try await dependencies.writes.perform(request, context: context, body: raw) { [results, valid] connection in
            let signedUp = try await VolunteerImportStore(connection: connection, logger: dependencies.logger).importRows(
                valid, call: call, desk: desk)
            return try StoredResponse(json: ImportAnswer(results + signedUp))
        }
    }
}
