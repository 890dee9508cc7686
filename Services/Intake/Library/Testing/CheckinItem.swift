import Foundation
import Models

/// One scan at a sampling point: resident code, tube, mixed-sample group (10-in-1).
struct CheckinInput: Codable, Sendable {
    var roundId: UUID?
    var siteId: UUID?
    var residentCode: String?
    var tubeBarcode: String?
    var sampleGroup: String?
    var scannedAt: String?
    var `operator`: String?
    var retest: Bool?
}

extension CheckinInput {
    /// Reads one item from parsed JSON (the hot path of a testing surge: no `JSONDecoder`).
    /// Fields of the wrong JSON type are reported like missing ones, by `validated`.
    init(json: JSONValue) {
        roundId = json["roundId"]?.stringValue.flatMap(UUID.init(uuidString:))
        siteId = json["siteId"]?.stringValue.flatMap(UUID.init(uuidString:))
        residentCode = json["residentCode"]?.stringValue
        tubeBarcode = json["tubeBarcode"]?.stringValue
        sampleGroup = json["sampleGroup"]?.stringValue
        scannedAt = json["scannedAt"]?.stringValue
        self.operator = json["operator"]?.stringValue
        if case .bool(let flag) = json["retest"] { retest = flag } else { retest = nil }
    }
}

/// A check-in that passed the checks that need no database.
struct Checkin: Sendable, Equatable {
    var index: Int
    var round: UUID
    var site: UUID
    var residentCode: String
    var tubeBarcode: String
    var sampleGroup: String?
    var scannedAt: Date
    var operatorCode: String
    var retest: Bool
}

/// The answer for one item of a batch, so a device in the field knows exactly what to
/// resend: nothing, for accepted and duplicate items; a corrected item, for invalid ones;
/// the resident again with a new tube, for refused ones (the tube is full or another's).
struct CheckinResult: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable {
        case accepted, duplicate, invalid, refused
    }

    var index: Int
    var status: Status
    var reason: String?
}

extension CheckinInput {
    /// Checks one item's fields; returns the check-in or why it is invalid.
    func validated(index: Int, now: Date = Date()) -> Result<Checkin, CheckinProblem> {
        var problems: [(field: String, message: String)] = []
        func code(_ value: String?, _ name: String, _ lengths: ClosedRange<Int>) -> String? {
            guard let value, !value.isEmpty else {
                problems.append((name, "is required"))
                return nil
            }
            guard lengths.contains(value.utf8.count), value.utf8.allSatisfy(Self.isCodeByte) else {
                problems.append((name, "must be \(lengths.lowerBound)–\(lengths.upperBound) letters, digits or '-'"))
                return nil
            }
            return value
        }
        if roundId == nil { problems.append(("roundId", "is required")) }
        if siteId == nil { problems.append(("siteId", "is required")) }
        let resident = code(residentCode, "residentCode", 4...64)
        let tube = code(tubeBarcode, "tubeBarcode", 6...32)
        let group = sampleGroup.flatMap { $0.isEmpty ? nil : code($0, "sampleGroup", 1...32) }
        let operatorCode = code(self.operator, "operator", 1...64)
        var scanned: Date?
        if let text = scannedAt {
            scanned = Timestamp.parse(text)
            if let date = scanned {
                if date > now.addingTimeInterval(120) { problems.append(("scannedAt", "must not be in the future")) }
            } else {
                problems.append(("scannedAt", "must be an RFC 3339 time"))
            }
        } else {
            problems.append(("scannedAt", "is required"))
        }
        guard let roundId, let siteId, let resident, let tube, let scanned, let operatorCode, problems.isEmpty else {
            return .failure(CheckinProblem(fields: problems))
        }
        return .success(
            Checkin(
                index: index, round: roundId, site: siteId, residentCode: resident, tubeBarcode: tube, sampleGroup: group,
                scannedAt: scanned, operatorCode: operatorCode, retest: retest ?? false
            ))
    }
}

extension CheckinInput {
    /// ASCII letters, digits and '-': what scanners print on codes and tubes. Checked on
    /// bytes, since a surge checks four codes per check-in.
    static func isCodeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"):
            true
        default: false
        }
    }
}

/// Why an item is invalid, field by field.
struct CheckinProblem: Error, Sendable {
    var fields: [(field: String, message: String)]
    var description: String { fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ") }
}
