import Foundation
import Models
import ServiceKit
import Tabular

/// One row of a station desk's list of volunteers as a sign-up form, and its columns.
///
/// A row is what a desk sends to `POST /v1/recruitment-calls/{id}/sign-ups` with its staff
/// token, written the way a desk's spreadsheet writes it: the health declaration in columns
/// of its own (健康码 绿/黄/红, 体温, 症状 有/无, 已接种疫苗 是/否), skills as codes or Chinese
/// labels separated by `;`, `,`, `、` or spaces. The form then checks it exactly as it checks a
/// desk sign-up. A missing birth year is read from the ID number. Availability windows are
/// not imported (the volunteer states them when vetted).
enum VolunteerImportRow {
    static let columns: [ImportTable.Column] = [
        .init("name", "姓名", required: true),
        .init("mobile", "手机号", "手机", "手机号码", required: true),
        .init("idNumber", "身份证号", "身份证号码", "公民身份号码", required: true),
        .init("birthYear", "出生年份"),
        .init("homeCommunity", "社区", "所在社区", "社区编码", required: true),
        .init("teamId", "队伍", "队伍编号"),
        .init("skills", "技能", "专长"),
        .init("healthCode", "健康码", required: true),
        .init("temperature", "体温", required: true),
        .init("symptoms", "症状", "有无症状", required: true),
        .init("vaccinated", "已接种疫苗", "疫苗接种", required: true),
        .init("recentTravel", "近期出行", "14天内出行"),
    ]

    static let skillLabels: [String: Skill] = [
        "医疗": .medical, "医护": .medical, "驾驶": .driving, "司机": .driving, "方言": .dialect, "心理疏导": .counselling,
        "心理咨询": .counselling, "信息技术": .it, "后勤": .logistics, "物流": .logistics,
    ]
    static let codeLabels: [String: HealthDeclaration.Code] = [
        "绿": .green, "绿码": .green, "黄": .yellow, "黄码": .yellow, "红": .red, "红码": .red,
    ]
    static let yes: Set<String> = ["是", "有", "yes", "y", "true", "1"]
    static let no: Set<String> = ["否", "无", "没有", "no", "n", "false", "0"]

    /// The sign-up the row holds, or every field error it has (the form's and the row's own),
    /// named by column (`temperature`, not `health/temperature`).
    static func volunteer(_ record: ImportTable.Record, now: Date = Date()) -> Result<NewVolunteer, InvalidFields> {
        let values = record.values
        var errors: [InvalidFields.Field] = []
        func flag(_ field: String) -> Bool? {
            guard let text = values[field]?.lowercased() else { return nil }
            if yes.contains(text) { return true }
            if no.contains(text) { return false }
            errors.append(.init(field: field, message: "must be 是/否 (yes/no)"))
            return nil
        }
        var form = SignUpForm()
        form.name = values["name"]
        form.mobile = values["mobile"]
        form.idNumber = values["idNumber"]
        form.homeCommunity = values["homeCommunity"]
        form.skills = values["skills"].map { text in
            text.split { ";,，；、/ ".contains($0) }.map { skillLabels[String($0)]?.rawValue ?? String($0).lowercased() }
        }
        if let text = values["teamId"] {
            if let team = UUID(uuidString: text) {
                form.teamId = team
            } else {
                errors.append(.init(field: "teamId", message: "must be a team's id"))
            }
        }
        if let text = values["birthYear"] {
            if let year = Int(text) {
                form.birthYear = year
            } else {
                errors.append(.init(field: "birthYear", message: "must be a year like 1985"))
            }
        } else if let text = values["idNumber"], let number = ResidentIDNumber(text) {
            form.birthYear = number.birthYear
        }
        var health = HealthDeclarationForm()
        health.healthCode = values["healthCode"].map { codeLabels[$0]?.rawValue ?? $0.lowercased() }
        if let text = values["temperature"] {
            if let degrees = Double(text.replacingOccurrences(of: "℃", with: "").replacingOccurrences(of: "°C", with: "")) {
                health.temperature = degrees
            } else {
                errors.append(.init(field: "temperature", message: "must be a body temperature in °C, like 36.5"))
            }
        }
        health.symptoms = flag("symptoms")
        health.vaccinated = flag("vaccinated")
        health.recentTravel = flag("recentTravel")
        form.health = health
        do {
            let volunteer = try form.validated(now: now)
            return errors.isEmpty ? .success(volunteer) : .failure(InvalidFields(errors))
        } catch {
            return .failure(record.invalidFields(errors, form: error, group: "health"))
        }
    }
}
