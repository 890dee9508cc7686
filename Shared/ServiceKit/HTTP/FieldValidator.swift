import Foundation
import Models

/// Collects every invalid field of a request, so the answer lists them all at once
/// (problem+json `errors`) instead of one per attempt.
public struct FieldValidator: Sendable {
    public private(set) var errors: [ProblemDetails.FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(.init(field: field, message: message))
    }

    /// The value, or an error saying the field is required.
    public mutating func required<T>(_ value: T?, _ field: String) -> T? {
        if value == nil { fail(field, "is required") }
        return value
    }

    /// Trimmed text of 1…`maxLength` characters.
    public mutating func text(_ value: String?, _ field: String, maxLength: Int = 200, optional: Bool = false) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            if !optional { fail(field, "is required") }
            return nil
        }
        guard value.count <= maxLength else {
            fail(field, "must be at most \(maxLength) characters")
            return nil
        }
        // PostgreSQL refuses NUL in text, and no field of ours needs control characters.
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }) else {
            fail(field, "must not contain control characters")
            return nil
        }
        return value
    }

    public mutating func mobile(_ value: String?, _ field: String) -> MobileNumber? {
        guard let text = required(value, field) else { return nil }
        guard let number = MobileNumber(text) else {
            fail(field, "must be a mainland mobile number: 11 digits starting with 13–19")
            return nil
        }
        return number
    }

    public mutating func idNumber(_ value: String?, _ field: String) -> ResidentIDNumber? {
        guard let text = required(value, field) else { return nil }
        switch ResidentIDNumber.validate(text) {
        case .success(let number): return number
        case .failure(let problem):
            fail(field, problem.description)
            return nil
        }
    }

    /// An area code of the right shape (and level, when given); whether it exists is
    /// checked against the database afterwards.
    public mutating func area(_ value: String?, _ field: String, level: AreaCode.Level? = nil, optional: Bool = false) -> AreaCode? {
        guard let text = value else {
            if !optional { fail(field, "is required") }
            return nil
        }
        guard let code = AreaCode(text) else {
            fail(field, "must be an area code like 320505-004-012")
            return nil
        }
        if let level, code.level != level {
            fail(field, "must be a \(level.rawValue) code, got a \(code.level.rawValue)")
            return nil
        }
        return code
    }

    /// One of an enumeration's raw values.
    public mutating func oneOf<E: RawRepresentable & CaseIterable>(_ value: String?, _ field: String, optional: Bool = false) -> E?
    where E.RawValue == String {
        guard let text = value else {
            if !optional { fail(field, "is required") }
            return nil
        }
        guard let member = E(rawValue: text) else {
            fail(field, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return member
    }

    /// A timestamp, not later than `now` (plus a little clock skew).
    public mutating func pastTime(_ value: String?, _ field: String, now: Date = Date(), optional: Bool = false) -> Date? {
        guard let text = value else {
            if !optional { fail(field, "is required") }
            return nil
        }
        guard let date = Timestamp.parse(text) else {
            fail(field, "must be an RFC 3339 time like 2026-11-25T08:30:00Z")
            return nil
        }
        guard date <= now.addingTimeInterval(120) else {
            fail(field, "must not be in the future")
            return nil
        }
        return date
    }

    public mutating func range(_ value: Int?, _ field: String, _ bounds: ClosedRange<Int>, optional: Bool = false) -> Int? {
        guard let value else {
            if !optional { fail(field, "is required") }
            return nil
        }
        guard bounds.contains(value) else {
            fail(field, "must be between \(bounds.lowerBound) and \(bounds.upperBound)")
            return nil
        }
        return value
    }

    /// Throws 422 with every collected error, if any.
    public func check() throws(ProblemDetails) {
        if !errors.isEmpty { throw ProblemDetails.validation(errors) }
    }
}
