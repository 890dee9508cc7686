import Foundation
import Hummingbird
import Models
import ServiceKit

/// The volunteers' pages: a recruitment call's public sign-up (`/join/{callId}`), the personal
/// link staff issue at vetting (`/v/{token}`), and the volunteer's own page (`/me`) with the
/// answers they give from it.
struct VolunteerPages: Sendable {
    let console: Console
    /// The district maps behind the community picker and place names, shared by every visit.
    let directory = CommunityDirectory()

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/join/{callId}") { request, context in
            await console.visitor(request, context) { visit in try await signUpPage(visit) }
        }
        router.post("/join/{callId}") { request, context in
            await console.visitor(request, context) { visit in try await signUp(visit) }
        }
        router.get("/join/{callId}/thanks") { request, context in
            await console.visitor(request, context) { visit in
                let id = try Self.uuid(visit.context.parameters.get("callId"))
                let call = try? await publicCalls(visit).get(.intake, "/v1/recruitment-calls/\(id)")
                return SignUpPage.thanks(call: call, page: visit.page)
            }
        }
        router.get("/v/{token}") { request, context in
            PersonalLink(console: console).response(request, token: context.parameters.get("token"))
        }
        router.get("/me") { request, _ in
            await console.volunteer(request) { visit in
                try await OwnPage.load(visit, directory: directory, areas: anonymousCalls(visitor: nil)).response()
            }
        }
        router.get("/me/parts") { request, _ in
            await console.volunteer(request) { visit in
                Fragment.response(try await OwnPage.load(visit, directory: directory, areas: anonymousCalls(visitor: nil)).content)
            }
        }
        router.post("/me/offers/{id}/accept") { request, context in
            await answer(request, context, "/v1/dispatches/{}/accept")
        }
        router.post("/me/offers/{id}/decline") { request, context in
            await answer(request, context, "/v1/dispatches/{}/decline")
        }
        router.post("/me/shifts/{id}/confirm") { request, context in
            await answer(request, context, "/v1/assignments/{}/confirm")
        }
        router.post("/me/tasks/{id}/complete") { request, context in
            await console.volunteer(request) { visit in
                let id = try Self.uuid(context.parameters.get("id"))
                guard let text = visit.form.text("hours"), let hours = Double(text.replacingOccurrences(of: ",", with: ".")) else {
                    throw BackendRefusal(status: 422, detail: visit.t("请填写服务时长（小时）。", "Enter the hours you worked."))
                }
                _ = try await visit.calls.post(.matching, "/v1/dispatches/\(id)/complete", .object(["hours": .number(hours)]))
                throw Redirect(location: "/me")
            }
        }
    }

    // MARK: Sign-up

    private func signUpPage(_ visit: PublicVisit) async throws -> Response {
        let id = try Self.uuid(visit.context.parameters.get("callId"))
        let calls = publicCalls(visit)
        let call = try await calls.get(.intake, "/v1/recruitment-calls/\(id)")
        return await form(call, visit, calls: calls).response()
    }

    /// Sends the sign-up to intake as the visitor (no token, their address forwarded). A refusal
    /// other than "no such call" comes back as the form, with what was typed and intake's words.
    private func signUp(_ visit: PublicVisit) async throws -> Response {
        let id = try Self.uuid(visit.context.parameters.get("callId"))
        let calls = publicCalls(visit)
        let fields = SignUpFields(form: visit.form)
        let (body, mistakes) = fields.request(visit.page)
        var refusal: BackendRefusal?
        if mistakes.isEmpty {
            do {
                _ = try await calls.post(.intake, "/v1/recruitment-calls/\(id)/sign-ups", body)
            } catch let refused as BackendRefusal where refused.status != 404 {
                refusal = refused
            }
        }
        guard !mistakes.isEmpty || refusal != nil else { throw Redirect(location: "/join/\(id)/thanks") }
        let call = try await calls.get(.intake, "/v1/recruitment-calls/\(id)")
        var page = await form(call, visit, calls: calls, fields: fields)
        page.errors = (refusal?.fields ?? [:]).merging(mistakes) { _, ours in ours }
        if let refusal, refusal.fields.isEmpty { page.problem = refusal.detail }
        let status = refusal.map { HTTPResponse.Status(code: $0.status) } ?? .unprocessableContent
        return page.response(status: status)
    }

    private func form(_ call: JSONValue, _ visit: PublicVisit, calls: BackendCalls, fields: SignUpFields? = nil) async -> SignUpPage {
        let district = await directory.district(of: call["area"]?.stringValue ?? "", calls: calls)
        return SignUpPage(
            call: call, fields: fields ?? SignUpFields(form: FormBody(fields: [:])), district: district,
            publicURL: console.settings.publicURL, page: visit.page)
    }

    /// Intake's public endpoints, asked for the visitor: with no token (intake would take a
    /// console token as a station desk's and refuse it), with the visitor's address so intake's
    /// per-address limit counts the resident, not the console.
    private func publicCalls(_ visit: PublicVisit) -> BackendCalls {
        anonymousCalls(visitor: visit.context.clientAddress ?? visit.context.remoteAddress?.ipAddress)
    }

    private func anonymousCalls(visitor: String?) -> BackendCalls {
        BackendCalls.anonymous(urls: console.settings.backends, visitor: visitor, logger: console.logger)
    }

    // MARK: The volunteer's answers

    /// Relays one answer of the volunteer with their own token (matching takes their id from
    /// it, so the body is empty), then back to their page.
    private func answer(_ request: Request, _ context: ServiceRequestContext, _ path: String) async -> Response {
        await console.volunteer(request) { visit in
            let id = try Self.uuid(context.parameters.get("id"))
            _ = try await visit.calls.post(.matching, path.replacingOccurrences(of: "{}", with: id))
            throw Redirect(location: "/me")
        }
    }

    /// A path's id, which goes into a service's URL: a UUID or nothing ("not found").
    static func uuid(_ text: String?) throws -> String {
        guard let text, let id = UUID(uuidString: text) else { throw BackendRefusal(status: 404, detail: "没有这个页面。No such page.") }
        return id.uuidString.lowercased()
    }
}
