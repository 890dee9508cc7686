import Foundation
import Models

/// The "publish a recruitment call" form as intake's `POST /v1/recruitment-calls` wants it.
/// The console checks nothing itself: a field left out or malformed is left out, and intake's
/// field-by-field answer (shown as it is) says what to fix.
enum RecruitmentCallForm {
    /// The JSON body for the form's fields.
    static func body(_ form: FormBody) -> JSONValue {
        var body: [String: JSONValue] = [:]
        // The form has one or the other: the picker when intake lists organizations of the
        // area, the typed id only when it lists none.
        if let organization = form.text("organizationIdTyped") ?? form.text("organizationId") {
            body["organizationId"] = .string(organization)
        }
        if let area = form.text("area") { body["area"] = .string(area) }
        if let title = form.text("title") { body["title"] = .string(title) }
        if let roles = form.text("roles") { body["roles"] = .array(Self.roles(roles).map(JSONValue.string)) }
        if let headcount = form.text("headcount").flatMap({ Int($0) }) { body["headcount"] = .number(Double(headcount)) }
        body["enforceHeadcount"] = .bool(form.text("enforceHeadcount") != nil)
        if let deadline = StationFormat.instant(fromLocal: form.text("deadline")) { body["deadline"] = .string(deadline) }
        return .object(body)
    }

    /// The roles as staff type them: separated by commas (Chinese or not), 、 or new lines.
    static func roles(_ text: String) -> [String] {
        text.split(whereSeparator: { ",，、;；\n\r".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
