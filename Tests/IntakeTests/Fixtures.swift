import Foundation
import Models
import TestSupport

/// Valid ID numbers for invented people: region, birth date, a sequence, and the GB 11643
/// check character computed as the standard says.
enum Fixtures {
    static func idNumber(district: String = "320505", birth: String = "19680512", sequence: Int) -> String {
        let body = district + birth + String(format: "%03d", sequence % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    static func signUp(sequence: Int, community: String = "320505-001-001", birth: String = "19680512") -> Body {
        Body([
            "name": .string("测试志愿者\(sequence)"), "mobile": .string("1390000\(String(format: "%04d", sequence))"),
            "idNumber": .string(idNumber(district: String(community.prefix(6)), birth: birth, sequence: sequence)),
            "birthYear": .number(Double(Int(birth.prefix(4))!)), "homeCommunity": .string(community),
            "skills": .array([.string("driving"), .string("counselling")]),
            "availability": .array([.object(["from": .string("2026-12-01T08:00:00Z"), "to": .string("2026-12-01T12:00:00Z")])]),
            "health": .object([
                "symptoms": .bool(false), "healthCode": .string("green"), "temperature": .number(36.5), "vaccinated": .bool(true),
            ]),
        ])
    }

    static func request(
        compound: String = "320505-001-001-01", address: String = "3幢 201室", category: String = "groceries", filedBy: String = "resident"
    ) -> Body {
        var members: [String: JSONValue] = [
            "category": .string(category), "urgency": .string("urgent"), "compound": .string(compound), "address": .string(address),
            "zone": .string("sealed"), "contactName": .string("王老伯"), "contactPhone": .string("13912345678"), "filedBy": .string(filedBy),
        ]
        if category == "medicine" { members["details"] = .object(["drugName": .string("苯磺酸氨氯地平片"), "dose": .string("5mg 每日一次")]) }
        return Body(members)
    }
}
