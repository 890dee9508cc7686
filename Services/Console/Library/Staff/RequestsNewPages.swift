import Hummingbird
import Models
import ServiceKit

/// Filing a resident's request: by a station worker on the resident's behalf (`/requests/new`,
/// filed by `phone-operator`), or by the resident themselves on a public page (`/help`, filed
/// by `resident`, rate-limited by intake per resident's address as its public door is).
struct RequestsNewPages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .dispatcher, .caller, .operator]

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/requests/new") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                Self.page(visit.page, title: visit.t("代录群众求助", "Record a resident's request"), action: "/requests/new")
            }
        }
        router.post("/requests/new") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in
                do {
                    let created = try await visit.calls.post(.intake, "/v1/requests", Self.body(visit.form, filedBy: "phone-operator"))
                    throw Redirect(location: "/requests/\(created["id"]?.stringValue ?? "")")
                } catch let refusal as BackendRefusal where refusal.status == 422 {
                    return Self.page(
                        visit.page, title: visit.t("代录群众求助", "Record a resident's request"), action: "/requests/new", form: visit.form,
                        refusal: refusal)
                }
            }
        }
        router.get("/help") { request, context in
            await console.visitor(request, context) { visit in
                Self.page(visit.page, title: visit.t("居民求助", "Ask for help"), action: "/help", publicPage: true)
            }
        }
        router.post("/help") { request, context in
            await console.visitor(request, context) { visit in
                let calls = BackendCalls.anonymous(
                    urls: console.settings.backends, visitor: visit.context.clientAddress, logger: console.logger)
                do {
                    _ = try await calls.post(.intake, "/v1/requests", Self.body(visit.form, filedBy: "resident"))
                } catch let refusal as BackendRefusal where refusal.status == 422 {
                    return Self.page(
                        visit.page, title: visit.t("居民求助", "Ask for help"), action: "/help", form: visit.form, refusal: refusal,
                        publicPage: true)
                }
                return Layout.page(
                    visit.t("已收到您的求助", "Your request is in"), visit.page,
                    "<p class=\"ok\" id=\"help-received\">\(visit.t("社区工作人员会尽快联系您。情况危急请拨打 120 或 110。", "Your community's workers will contact you soon. In an emergency call 120 or 110."))</p>"
                )
            }
        }
    }

    /// What intake's `POST /v1/requests` takes, from the form.
    static func body(_ form: FormBody, filedBy: String) -> JSONValue {
        var fields: [String: JSONValue] = ["filedBy": .string(filedBy)]
        for name in ["category", "urgency", "compound", "address", "zone", "contactName", "contactPhone"] {
            if let value = form.text(name) { fields[name] = .string(value) }
        }
        var details: [String: JSONValue] = [:]
        for name in ["drugName", "dose", "note"] {
            if let value = form.text(name) { details[name] = .string(value) }
        }
        if !details.isEmpty { fields["details"] = .object(details) }
        return .object(fields)
    }

    static func page(
        _ page: PageContext, title: String, action: String, form: FormBody? = nil, refusal: BackendRefusal? = nil, publicPage: Bool = false
    ) -> Response {
        var values: [String: String] = [:]
        for name in RequestsFormView.fields { values[name] = form?[name] }
        let view = RequestsFormView(page: page, action: action, values: values, errors: refusal?.fields ?? [:])
        let alert: HTML = refusal.map { "<p class=\"error\" role=\"alert\">\($0.detail)</p>" } ?? .empty
        let hint: HTML =
            publicPage
            ? "<p class=\"hint\">\(page.t("您的电话和地址只有您所在社区的工作人员和接单的志愿者能看到。", "Only your community's workers and the volunteer who takes the task see your phone and address."))</p>"
            : .empty
        return Layout.page(title, page, status: refusal == nil ? .ok : .unprocessableContent, "\(hint)\(alert)\(view.html)")
    }
}
