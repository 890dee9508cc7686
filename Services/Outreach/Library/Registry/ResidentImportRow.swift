import Foundation
import Models
import ServiceKit
import Tabular

/// One row of an uploaded registry as a registration form, and its columns.
///
/// A row is the form `POST /v1/residents` takes, written the way a station's spreadsheet
/// writes it: categories and care level as codes or Chinese labels, consent as 是/否 or
/// yes/no, several categories in one cell separated by `;`, `,`, `、` or spaces. The form then
/// checks it exactly as it checks a single registration. The ID number is required here
/// (it is optional for a single registration): it is what makes a re-upload find the rows
/// already imported. A missing birth year is read from the ID number.
enum ResidentImportRow {
    static let columns: [ImportTable.Column] = [
        .init("name", "姓名", required: true),
        .init("idNumber", "身份证号", "身份证号码", "公民身份号码", required: true),
        .init("birthYear", "出生年份"),
        .init("compound", "小区", "小区编码", "小区代码", required: true),
        .init("address", "住址", "地址", "详细地址", required: true),
        .init("categories", "类别", "困难类别", required: true),
        .init("careLevel", "关爱等级", "关怀等级", required: true),
        .init("consent", "本人同意", "同意", "知情同意", required: true),
        .init("contactName", "联系人", required: true),
        .init("contactPhone", "联系电话", "联系人电话", required: true),
        .init("carerName", "照护人"),
        .init("notes", "备注"),
    ]

    static let categoryLabels: [String: VulnerabilityCategory] = [
        "80岁以上": .elderOver80, "高龄": .elderOver80, "高龄老人": .elderOver80, "独居": .livingAlone, "独居老人": .livingAlone,
        "残疾": .disabled, "残疾人": .disabled, "困境儿童": .childInDifficulty, "精神康复": .mentalHealthRecovery,
        "精神障碍康复": .mentalHealthRecovery, "重病": .seriouslyIll, "重症": .seriouslyIll, "大病": .seriouslyIll,
        "照护人隔离": .carerQuarantined, "监护人隔离": .carerQuarantined,
    ]
    static let careLabels: [String: CareLevel] = ["高": .high, "中": .medium, "低": .low]
    static let yes: Set<String> = ["是", "同意", "yes", "y", "true", "1"]
    static let no: Set<String> = ["否", "不同意", "no", "n", "false", "0"]

    /// The registration the row holds, or every field error it has (the form's and the row's own).
    static func resident(_ record: ImportTable.Record, now: Date = Date()) -> Result<VulnerableResident, InvalidFields> {
        let values = record.values
        var errors: [InvalidFields.Field] = []
        var form = ResidentForm()
        form.name = values["name"]
        form.idNumber = values["idNumber"]
        form.compound = values["compound"]
        form.address = values["address"]
        form.contactName = values["contactName"]
        form.contactPhone = values["contactPhone"]
        form.carerName = values["carerName"]
        form.notes = values["notes"]
        form.careLevel = values["careLevel"].map { careLabels[$0]?.rawValue ?? $0.lowercased() }
        form.categories = values["categories"].map { text in
            text.split { ";,，；、/ ".contains($0) }.map { categoryLabels[String($0)]?.rawValue ?? String($0).lowercased() }
        }
        if let text = values["consent"] {
            if yes.contains(text.lowercased()) {
                form.consent = true
            } else if no.contains(text.lowercased()) {
                form.consent = false
            } else {
                errors.append(.init(field: "consent", message: "must be 是/否 (yes/no)"))
            }
        }
        if let text = values["birthYear"] {
            if let year = Int(text) {
                form.birthYear = year
            } else {
                errors.append(.init(field: "birthYear", message: "must be a year like 1940"))
            }
        } else if let text = values["idNumber"], let number = ResidentIDNumber(text) {
            form.birthYear = number.birthYear
        }
        if values["idNumber"] == nil {
            errors.append(
                .init(field: "idNumber", message: "is required in an import: it is how a re-upload finds the rows already registered"))
        }
        do {
            let resident = try form.validated(now: now)
            return errors.isEmpty ? .success(resident) : .failure(InvalidFields(errors))
        } catch {
            return .failure(record.invalidFields(errors, form: error))
        }
    }
}
