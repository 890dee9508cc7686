import Foundation
import Hummingbird
import Models
import ServiceKit

/// Notices and guides (通知) in Mandarin and the dialects residents speak: write one with its
/// variants, preview it in each language exactly as outreach serves it, then publish it to
/// the SMS and WeChat gateways.
struct NoticePages: Sendable {
    let console: Console
    static let roles: Set<AccessRole> = [.staff, .operator]
    /// How many dialect variants the form offers besides Mandarin.
    static let variantSlots = 3

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/notices") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try Self.compose(visit) }
        }
        router.post("/notices") { request, _ in
            await console.staff(request, roles: Self.roles) { visit in try await Self.write(visit) }
        }
        router.get("/notices/:id") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.roles) { visit in try await Self.preview(visit, id: id) }
        }
        router.post("/notices/:id/publish") { request, context in
            let id = context.parameters.get("id")
            return await console.staff(request, roles: Self.roles) { visit in try await Self.publish(visit, id: id) }
        }
    }

    /// The writing form, and a way to open a notice already written (`?id=`).
    static func compose(_ visit: StaffVisit) throws -> Response {
        if let id = RegistryQuery.uuid(visit.request.uri.queryParameters["id"].map(String.init)) {
            throw Redirect(location: "/notices/\(id)")
        }
        let page = visit.page
        let slots = (1...variantSlots).map { slot -> HTML in
            """
            <fieldset><legend>\(visit.t("方言或其他语言 \(slot)（可选）", "Dialect or language \(slot) (optional)"))</legend>
            <label>\(visit.t("语言标签", "Language tag"))<input name="tag\(slot)" list="notice-languages" maxlength="64" placeholder="wuu-x-suzhou" autocomplete="off"></label>
            <label>\(visit.t("正文", "Text"))<textarea name="text\(slot)" maxlength="4000" rows="4"></textarea></label></fieldset>
            """
        }
        let languages = RegistryLabels.languages.dropFirst().map { entry -> HTML in
            "<option value=\"\(entry.code)\">\(page.t(entry.words.zh, entry.words.en))</option>"
        }
        let body: HTML = """
            <form method="post" action="/notices" class="card">\(page.csrfField)
            <label>\(visit.t("标题", "Title"))<input name="title" required maxlength="200"></label>
            <label>\(visit.t("区域编码", "Area code"))<input name="area" required value="\(visit.account.area?.rawValue)" \
            pattern="[0-9]{6}(-[0-9]{3}(-[0-9]{3}(-[0-9]{2})?)?)?" placeholder="320505-001"></label>
            <label>\(visit.t("对象", "Audience"))<select name="audience" required>\(RegistryLabels.options(RegistryLabels.audiences, page))</select></label>
            <label>\(visit.t("重点人群类别（对象为某一类时必填）", "Registry category (when the audience is one)"))<select name="category">\
            \(RegistryLabels.options(RegistryLabels.categories, page, blank: "—"))</select></label>
            <label>\(visit.t("普通话正文", "Mandarin text"))<textarea name="zh" required maxlength="4000" rows="5"></textarea></label>
            \(slots)
            <datalist id="notice-languages">\(languages)</datalist>
            <p class="hint">\(visit.t("保存后为草稿，可逐一预览各语言版本后再发布。", "Saved as a draft: preview each language, then publish."))</p>
            <button>\(visit.t("保存草稿", "Save the draft"))</button></form>
            <form method="get" action="/notices" class="card">
            <label>\(visit.t("打开已有通知（编号）", "Open a notice (id)"))<input name="id" required autocomplete="off"></label>
            <button class="secondary">\(visit.t("打开", "Open"))</button></form>
            """
        return Layout.page(visit.t("写通知", "Write a notice"), page, body)
    }

    /// `POST /v1/notices` with `zh` and every variant given a tag and a text, then to its preview.
    static func write(_ visit: StaffVisit) async throws -> Response {
        let form = visit.form
        var variants: [String: JSONValue] = [:]
        if let zh = form.text("zh") { variants["zh"] = .string(zh) }
        for slot in 1...variantSlots {
            if let tag = form.text("tag\(slot)"), let text = form.text("text\(slot)") { variants[tag] = .string(text) }
        }
        var body: [String: JSONValue] = [
            "title": .string(form.text("title") ?? ""), "area": .string(form.text("area") ?? ""),
            "audience": .string(form.text("audience") ?? ""), "variants": .object(variants),
        ]
        if let category = form.text("category") { body["category"] = .string(category) }
        let created = try await visit.calls.post(.outreach, "/v1/notices", .object(body))
        guard let id = RegistryQuery.uuid(created["id"]?.stringValue) else { throw Redirect(location: "/notices") }
        throw Redirect(location: "/notices/\(id)")
    }

    /// `GET /v1/notices/{id}?language=` once in Mandarin for the list of languages, then once
    /// for each other language it is written in, so the preview is what each reader gets.
    static func preview(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else { throw BackendRefusal(status: 404, detail: visit.t("没有这条通知。", "No such notice.")) }
        let mandarin = try await visit.calls.get(.outreach, "/v1/notices/\(id)?language=zh")
        var served = [mandarin]
        for tag in (mandarin["languages"]?.stationItems ?? []).compactMap(\.stringValue) where tag.lowercased() != "zh" {
            served.append(try await visit.calls.get(.outreach, "/v1/notices/\(id)" + RegistryQuery.string([("language", tag)])))
        }
        let reads = mandarin["reads"]?.stationMembers ?? []
        let cards = served.map { notice -> HTML in
            let tag = notice["language"]?.stringValue ?? ""
            let count = reads.first { $0.key.caseInsensitiveCompare(tag) == .orderedSame }?.value.stationText ?? "0"
            let fallback: HTML =
                notice["fallback"]?.stationBool == true
                ? " <span class=\"late\">\(visit.t("未找到该语言，显示普通话", "not written in it: Mandarin shown"))</span>" : .empty
            let paragraphs = (notice["text"]?.stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false).map {
                line -> HTML in
                "<p>\(String(line))</p>"
            }
            return """
                <div class="card" lang="\(tag)"><h2>\(RegistryLabels.name(tag, in: RegistryLabels.languages, visit.page)) <span class="muted">\(tag)</span>\(fallback)</h2>\
                \(paragraphs)<p class="muted">\(visit.t("已读回执", "Read receipts")): \(count)</p></div>
                """
        }
        let published = mandarin["publishedAt"]?.stringValue != nil
        let state: HTML =
            published
            ? "<p class=\"ok\">\(visit.t("已发布", "Published")) \(mandarin["publishedAt"]?.stationTime ?? "")</p>"
            : """
            <p><span class="badge">\(visit.t("草稿", "Draft"))</span></p>
            <p>\(visit.page.button("/notices/\(id)/publish", visit.t("发布（短信与微信推送）", "Publish (SMS and WeChat)")))</p>
            """
        let audience = RegistryLabels.name(mandarin["audience"]?.stringValue, in: RegistryLabels.audiences, visit.page)
        let category =
            mandarin["category"]?.stringValue.map { " · " + RegistryLabels.name($0, in: RegistryLabels.categories, visit.page) } ?? ""
        let body: HTML = """
            <p class="muted">\(mandarin["area"]?.stationText ?? "") · \(audience)\(category) · \(id)</p>
            \(state)
            \(cards)
            <p><a href="/notices">\(visit.t("再写一条", "Write another"))</a></p>
            """
        return Layout.page(mandarin["title"]?.stringValue ?? visit.t("通知", "Notice"), visit.page, body)
    }

    /// `POST /v1/notices/{id}/publish`, then back to the preview.
    static func publish(_ visit: StaffVisit, id raw: String?) async throws -> Response {
        guard let id = RegistryQuery.uuid(raw) else { throw BackendRefusal(status: 404, detail: visit.t("没有这条通知。", "No such notice.")) }
        _ = try await visit.calls.post(.outreach, "/v1/notices/\(id)/publish")
        throw Redirect(location: "/notices/\(id)")
    }
}
