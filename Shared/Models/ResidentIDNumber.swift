/// A resident identity card number (GB 11643-1999): 17 digits and a check character.
/// Personal data: never logged, never on the bus, masked in lists.
public struct ResidentIDNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432")

    /// Why a text is not a valid number, for field-by-field errors.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case length, characters, birthDate
        case checkDigit(expected: Character)

        public var description: String {
            switch self {
            case .length: "must be 18 characters"
            case .characters: "must be 17 digits followed by a digit or X"
            case .birthDate: "characters 7–14 must be a birth date (YYYYMMDD)"
            case .checkDigit(let expected): "check character does not match (GB 11643: expected \(expected)); please re-check the number"
            }
        }
    }

    /// Validates shape, birth date and the check character; lower-case `x` is accepted.
    public static func validate(_ text: String) -> Result<ResidentIDNumber, Problem> {
        let value = text.uppercased()
        let characters = Array(value)
        guard characters.count == 18 else { return .failure(.length) }
        guard characters.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }),
            characters[17].isASCII && (characters[17].isNumber || characters[17] == "X")
        else { return .failure(.characters) }
        let digits = characters.prefix(17).map { Int(String($0))! }
        let year = digits[6..<10].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard (1900...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else { return .failure(.birthDate) }
        let expected = checkCharacters[zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11]
        guard characters[17] == expected else { return .failure(.checkDigit(expected: expected)) }
        return .success(ResidentIDNumber(value: value))
    }

    public init?(_ text: String) {
        guard case .success(let number) = Self.validate(text) else { return nil }
        self = number
    }

    private init(value: String) { self.value = value }

    /// The birth year the number encodes.
    public var birthYear: Int { Int(value.dropFirst(6).prefix(4))! }

    /// `320505********123X`: region and last four only.
    public var masked: String { String(value.prefix(6)) + String(repeating: "*", count: 8) + String(value.suffix(4)) }

    public var description: String { masked }
}
