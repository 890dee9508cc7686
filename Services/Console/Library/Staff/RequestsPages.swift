import Foundation
import Hummingbird
import Models
import ServiceKit

/// Residents' requests (群众求助) of the viewer's area: the list (phones masked) with probable
/// duplicates flagged, one request with its history and — when it probably repeats an earlier
/// one — the two side by side and a button to merge it into the original (both histories kept).
struct RequestsPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .dispatcher, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/requests") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let query = visit.request.uri.queryParameters
                let status = query["status"].map(String.init).flatMap { RequestsViews.statuses.contains($0) ? $0 : nil }
                var path = "/v1/requests?limit=100"
                if let status { path += "&status=\(status)" }
                if let after = query["after"].flatMap({ Int64(String($0)) }) { path += "&after=\(after)" }
                let page = try await visit.calls.get(.intake, path)
                let next = page["next"]?.intValue.map { "/requests?\(status.map { "status=\($0)&" } ?? "")after=\($0)" }
                return Layout.page(
                    visit.t("群众求助", "Residents' requests"), visit.page,
                    RequestsViews.list(StationFormat.list(page["items"]), status: status, next: next, visit.page))
            }
        }
        router.get("/requests/:id") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                let detail = try await visit.calls.get(.intake, "/v1/requests/\(try Self.known(id, visit))")
                return Layout.page(visit.t("求助详情", "Request"), visit.page, RequestsViews.detail(detail, visit.page))
            }
        }
        router.post("/requests/:id/merge") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                let id = try Self.known(id, visit)
                guard let original = StationFormat.uuid(visit.form.text("into")) else {
                    throw BackendRefusal(status: 422, detail: visit.t("请选择要合并到的原求助。", "Choose the original request to merge into."))
                }
                _ = try await visit.calls.post(.intake, "/v1/requests/\(id)/merge", .object(["into": .string(original)]))
                throw Redirect(location: "/requests/\(id)")
            }
        }
    }

    /// The request id of the path, or a 404 page.
    private static func known(_ id: String?, _ visit: StaffVisit) throws -> String {
        guard let id else { throw BackendRefusal(status: 404, detail: visit.t("没有这条求助。", "No such request.")) }
        return id
    }
}
