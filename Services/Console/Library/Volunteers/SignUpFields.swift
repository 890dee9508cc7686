import Foundation
import Models

/// What a resident typed into a recruitment call's sign-up form, and the body intake's
/// `POST /v1/recruitment-calls/{id}/sign-ups` takes (its `SignUp` schema).
///
/// The form's field names are the paths intake names in a 422 (`mobile`, `health/temperature`),
/// so each of intake's messages lands beside the field it is about. Checkboxes that share a
/// name would overwrite each other in ``FormBody``, so each skill has its own (`skill-driving`).
struct SignUpFields: Sendable {
    var form: FormBody

    /// Intake's skills (`SignUp.skills`).
    static let skills = ["medical", "driving", "dialect", "counselling", "it", "logistics"]

    func value(_ name: String) -> String { form.text(name) ?? "" }
    func checked(_ name: String) -> Bool { form.text(name) != nil }

    /// The JSON body for intake, and what is wrong before asking it: numbers that are not
    /// numbers, an availability window that is half filled. A field that cannot be read is
    /// left out, so intake still names everything else that is missing.
    func request(_ page: PageContext) -> (body: JSONValue, errors: [String: String]) {
        var body: [String: JSONValue] = [:]
        var errors: [String: String] = [:]
        for name in ["name", "mobile", "idNumber", "homeCommunity"] {
            if let text = form.text(name) { body[name] = .string(text) }
        }
        if let text = form.text("birthYear") {
            if let year = Int(text) {
                body["birthYear"] = .number(Double(year))
            } else {
                errors["birthYear"] = page.t("请填写出生年份，如 1990", "must be a year such as 1990")
            }
        }
        let skills = Self.skills.filter { checked("skill-" + $0) }
        if !skills.isEmpty { body["skills"] = .array(skills.map(JSONValue.string)) }
        switch (form.text("availability/0/from"), form.text("availability/0/to")) {
        case (nil, nil): break
        case (let from?, let to?):
            if let from = VolunteerClock.rfc3339(local: from), let to = VolunteerClock.rfc3339(local: to) {
                body["availability"] = .array([.object(["from": .string(from), "to": .string(to)])])
            } else {
                errors["availability"] = page.t("请同时填写开始和结束时间", "needs a start and an end time")
            }
        default: errors["availability"] = page.t("请同时填写开始和结束时间", "needs a start and an end time")
        }
        var health: [String: JSONValue] = [:]
        for name in ["symptoms", "vaccinated", "recentTravel"] {
            switch form.text("health/" + name) {
            case "yes": health[name] = .bool(true)
            case "no": health[name] = .bool(false)
            default: break
            }
        }
        if let code = form.text("health/healthCode") { health["healthCode"] = .string(code) }
        if let text = form.text("health/temperature") {
            if let degrees = Double(text.replacingOccurrences(of: ",", with: ".")) {
                health["temperature"] = .number(degrees)
            } else {
                errors["health/temperature"] = page.t("请填写体温，如 36.5", "must be a temperature in °C such as 36.5")
            }
        }
        body["health"] = .object(health)
        return (.object(body), errors)
    }
}
