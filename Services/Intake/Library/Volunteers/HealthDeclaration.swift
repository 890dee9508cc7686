import Foundation
import Models
import ServiceKit

/// A volunteer's health declaration: what they said about themself on a given day.
///
/// The fitness rule lives here and nowhere else (``unfitReason``): the vetting state
/// machine asks it before verifying or reinstating, and a new declaration asks it before
/// leaving a verified volunteer on duty. Staff cannot override it; the volunteer declares
/// again when the code is green and the fever or symptoms have passed.
public struct HealthDeclaration: Sendable, Equatable {
    /// The health code the volunteer's phone shows (健康码).
    public enum Code: String, Sendable, CaseIterable {
        case green, yellow, red
    }

    /// A temperature at or above this is a fever (°C): the threshold testing sites and
    /// compound gates use.
    public static let feverThreshold = 37.3

    public var symptoms: Bool
    public var code: Code?
    public var temperature: Double?
    public var vaccinated: Bool
    public var recentTravel: Bool

    public init(symptoms: Bool, code: Code?, temperature: Double?, vaccinated: Bool = false, recentTravel: Bool = false) {
        self.symptoms = symptoms
        self.code = code
        self.temperature = temperature
        self.vaccinated = vaccinated
        self.recentTravel = recentTravel
    }

    /// Why this declaration keeps the volunteer off duty, or `nil` when it does not.
    ///
    /// A red or yellow code, any reported symptom, a temperature of 37.3 °C or more — and a
    /// declaration that does not say its code or temperature, since "unknown" is not "fit".
    public var unfitReason: String? {
        var reasons: [String] = []
        switch code {
        case .red?, .yellow?: reasons.append("the health code is \(code!.rawValue)")
        case nil: reasons.append("the declaration has no health code")
        case .green?: break
        }
        if symptoms { reasons.append("symptoms are reported") }
        if let temperature {
            if temperature >= Self.feverThreshold {
                reasons.append("the temperature is \(temperature) °C (\(Self.feverThreshold) °C or more is a fever)")
            }
        } else {
            reasons.append("the declaration has no temperature")
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: ", ")
    }

    /// The stored form (`volunteers.health`, `volunteer_declarations.health`).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "symptoms": .bool(symptoms), "healthCode": .string(code?.rawValue ?? ""),
            "vaccinated": .bool(vaccinated), "recentTravel": .bool(recentTravel),
        ]
        if let temperature { object["temperature"] = .number(temperature) }
        return .object(object)
    }

    /// Reads the stored form; a missing or unreadable field reads as not declared, which the
    /// fitness rule treats as unfit.
    public init(stored: JSONValue) {
        func flag(_ key: String) -> Bool? {
            if case .bool(let value)? = stored[key] { return value }
            return nil
        }
        var temperature: Double?
        if case .number(let value)? = stored["temperature"] { temperature = value }
        self.init(
            symptoms: flag("symptoms") ?? true, code: stored["healthCode"]?.stringValue.flatMap(Code.init(rawValue:)),
            temperature: temperature, vaccinated: flag("vaccinated") ?? false, recentTravel: flag("recentTravel") ?? false
        )
    }
}

/// The declaration as a client sends it, in a sign-up or on its own.
struct HealthDeclarationForm: Codable, Sendable {
    var symptoms: Bool?
    var healthCode: String?
    var temperature: Double?
    var vaccinated: Bool?
    var recentTravel: Bool?

    /// Checks every field into `validator`, naming them under `path` (`health/…` in a
    /// sign-up, bare on its own); `nil` when something is wrong.
    func validate(into validator: inout FieldValidator, path: String) -> HealthDeclaration? {
        let prefix = path.isEmpty ? "" : path + "/"
        let symptoms = validator.required(symptoms, prefix + "symptoms")
        let code: HealthDeclaration.Code? = validator.oneOf(healthCode, prefix + "healthCode")
        let temperature = validator.required(temperature, prefix + "temperature")
        if let temperature, !(34.0...43.0).contains(temperature) {
            validator.fail(prefix + "temperature", "must be a body temperature in °C (34–43)")
        }
        let vaccinated = validator.required(vaccinated, prefix + "vaccinated")
        guard let symptoms, let code, let temperature, let vaccinated, (34.0...43.0).contains(temperature) else { return nil }
        return HealthDeclaration(
            symptoms: symptoms, code: code, temperature: temperature, vaccinated: vaccinated, recentTravel: recentTravel ?? false)
    }
}

extension HealthDeclarationForm {
    /// A declaration sent on its own (`POST /v1/volunteers/{id}/health-declarations`).
    func validated() throws(ProblemDetails) -> HealthDeclaration {
        var validator = FieldValidator()
        guard let declaration = validate(into: &validator, path: ""), validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return declaration
    }
}
