import Foundation
import Hummingbird
import Models
import ServiceKit

/// Vetting (志愿者审核): the queue of volunteers of the station's area by status, each with
/// their health declaration; one volunteer unmasked with their history; the vetting actions;
/// and the personal link (and QR code) a verified volunteer opens their own page with.
struct VettingPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/vetting") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try await queue(visit) }
        }
        router.get("/vetting/:id") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                let detail = try await visit.calls.get(.intake, "/v1/volunteers/\(try Self.known(id, visit))")
                let name = detail["volunteer"]?["name"]?.stringValue ?? visit.t("志愿者", "Volunteer")
                return Layout.page(
                    name, visit.page, VettingViews.detail(detail, revoked: visit.request.uri.queryParameters["revoked"] != nil, visit.page))
            }
        }
        router.post("/vetting/:id/actions") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                let id = try Self.known(id, visit)
                let action = visit.form.text("action") ?? ""
                guard VettingViews.actions.contains(action) else {
                    throw BackendRefusal(status: 422, detail: visit.t("未知的审核操作。", "Unknown vetting action."))
                }
                var body: [String: JSONValue] = ["action": .string(action)]
                if let reason = visit.form.text("reason") { body["reason"] = .string(reason) }
                _ = try await visit.calls.post(.intake, "/v1/volunteers/\(id)/vetting", .object(body))
                throw Redirect(location: Self.back(visit.form.text("back"), otherwise: "/vetting/\(id)"))
            }
        }
        router.post("/vetting/:id/link") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                let id = try Self.known(id, visit)
                var body: [String: JSONValue] = [:]
                if let days = visit.form.text("days").flatMap({ Int($0) }) { body["days"] = .number(Double(days)) }
                let issued = try await visit.calls.post(.intake, "/v1/volunteers/\(id)/tokens", .object(body))
                guard let token = issued["token"]?.stringValue else {
                    throw BackendRefusal(status: 502, detail: visit.t("服务未返回链接。", "The service returned no link."))
                }
                // The one POST that renders instead of redirecting: the token is shown once and
                // kept nowhere (not in a redirect, a session or a log).
                let link = console.settings.publicURL + "/v/" + token
                return Layout.page(
                    visit.t("专属链接", "Personal link"), visit.page,
                    VettingLinkView.issued(volunteer: id, link: link, expiresAt: issued["expiresAt"], visit.page))
            }
        }
        router.post("/vetting/:id/revoke") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                let id = try Self.known(id, visit)
                _ = try await visit.calls.delete(.intake, "/v1/volunteers/\(id)/tokens")
                throw Redirect(location: "/vetting/\(id)?revoked=1")
            }
        }
    }

    /// The queue: one status's volunteers (pending by default), a page at a time. The list is
    /// masked and carries no health data, so the pending and suspended ones' declarations
    /// are read one by one from their records — staff decide on them here.
    private func queue(_ visit: StaffVisit) async throws -> Response {
        let query = visit.request.uri.queryParameters
        let status = query["status"].map(String.init).flatMap { VettingViews.statuses.contains($0) ? $0 : nil } ?? "pending"
        var path = "/v1/volunteers?limit=50"
        if status != "all" { path += "&status=\(status)" }
        let after = query["after"].flatMap { Int64(String($0)) }
        if let after { path += "&after=\(after)" }
        let page = try await visit.calls.get(.intake, path)
        let volunteers = StationFormat.list(page["items"])
        var records: [String: JSONValue] = [:]
        if status == "pending" || status == "suspended" {
            let calls = visit.calls
            records = await withTaskGroup(of: (String, JSONValue?).self) { group in
                for volunteer in volunteers {
                    guard let id = StationFormat.uuid(volunteer["id"]?.stringValue) else { continue }
                    group.addTask { (id, try? await calls.get(.intake, "/v1/volunteers/\(id)")) }
                }
                var found: [String: JSONValue] = [:]
                for await (id, record) in group { found[id] = record }
                return found
            }
        }
        let next = page["next"]?.intValue.map { "/vetting?status=\(status)&after=\($0)" }
        return Layout.page(
            visit.t("志愿者审核", "Vetting"), visit.page,
            VettingViews.queue(volunteers, records: records, status: status, next: next, visit.page))
    }

    /// The volunteer id of the path, or a 404 page.
    private static func known(_ id: String?, _ visit: StaffVisit) throws -> String {
        guard let id else { throw BackendRefusal(status: 404, detail: visit.t("没有这位志愿者。", "No such volunteer.")) }
        return id
    }

    /// Where a vetting action returns to: a page of the queue or a volunteer's, never elsewhere.
    static func back(_ wanted: String?, otherwise: String) -> String {
        guard let wanted = LocalPath.checked(wanted), wanted.hasPrefix("/vetting") else { return otherwise }
        return wanted
    }
}
