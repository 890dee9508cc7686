import Foundation
import Hummingbird
import Models
import ServiceKit

/// Recruitment calls (招募令), as a station runs them: the calls of its area with sign-ups
/// against headcount, a form to publish the next one under an organization of its area, and
/// one call's page with the public sign-up link and QR code to post in a WeChat group.
struct RecruitmentPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/calls") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                async let callsAnswer = visit.calls.get(.intake, "/v1/recruitment-calls")
                async let organizationsAnswer = visit.calls.get(.intake, "/v1/organizations")
                let calls = StationFormat.list(try await callsAnswer["items"])
                let organizations = StationFormat.list(try await organizationsAnswer["items"])
                return Layout.page(
                    visit.t("招募令", "Recruitment calls"), visit.page,
                    """
                    \(RecruitmentViews.list(calls, visit.page))\
                    \(RecruitmentViews.publishForm(organizations: organizations, calls: calls, visit.page))
                    """)
            }
        }
        router.post("/calls") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                let page = try await visit.calls.post(.intake, "/v1/recruitment-calls", RecruitmentCallForm.body(visit.form))
                guard let id = StationFormat.uuid(page["id"]?.stringValue) else { throw Redirect(location: "/calls") }
                throw Redirect(location: "/calls/\(id)")
            }
        }
        router.get("/calls/:id") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                guard let id else { throw BackendRefusal(status: 404, detail: visit.t("没有这个招募令。", "No such recruitment call.")) }
                let call = try await visit.calls.get(.intake, "/v1/recruitment-calls/\(id)")
                let link = console.settings.publicURL + "/join/" + id
                return Layout.page(
                    call["title"]?.stringValue ?? visit.t("招募令", "Recruitment call"), visit.page,
                    RecruitmentViews.call(call, link: link, visit.page))
            }
        }
        router.post("/calls/:id/close") { request, context in
            let id = StationFormat.uuid(context.parameters.get("id"))
            return await console.staff(request, roles: Self.roles) { visit in
                guard let id else { throw BackendRefusal(status: 404, detail: visit.t("没有这个招募令。", "No such recruitment call.")) }
                _ = try await visit.calls.post(.intake, "/v1/recruitment-calls/\(id)/close")
                throw Redirect(location: "/calls/\(id)")
            }
        }
    }
}
