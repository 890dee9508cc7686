/// A mainland China mobile number: 11 digits starting with 1 and a second digit 3–9.
/// Personal data: never logged, never on the bus, masked in lists (`138****5678`).
public struct MobileNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    /// Accepts spaces, dashes and a `+86`/`86` prefix, as people type them.
    public init?(_ text: String) {
        var digits = text.filter { $0 != " " && $0 != "-" }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.count == 13, digits.hasPrefix("86") { digits.removeFirst(2) }
        let scalars = Array(digits.unicodeScalars)
        guard scalars.count == 11, scalars.allSatisfy({ ("0"..."9").contains($0) }), scalars[0] == "1",
            ("3"..."9").contains(scalars[1])
        else { return nil }
        self.digits = digits
    }

    /// `138****5678`: enough to recognise, not enough to call.
    public var masked: String { String(digits.prefix(3)) + "****" + String(digits.suffix(4)) }

    /// Masked, so that string interpolation cannot leak the number by accident.
    public var description: String { masked }
}
