/// One cell of a table as the field exchanges it: text or a number, nothing else.
///
/// Spreadsheets offered by stations hold dates, formulas and styles too; the suite reads a
/// date as the text or number the file stores and never evaluates a formula, so two cases
/// are all an import or an export needs.
public enum Cell: Sendable, Equatable {
    case text(String)
    case number(Double)

    /// The cell as text: numbers without a needless ".0", so an ID number or a count stored
    /// as a number in a spreadsheet reads as the digits a person typed.
    public var text: String {
        switch self {
        case .text(let value): value
        case .number(let value): NumberText.format(value)
        }
    }
}

/// One named sheet of a workbook: rows of cells, the first row usually the header.
public struct Sheet: Sendable {
    public var name: String
    public var rows: [[Cell]]

    public init(name: String, rows: [[Cell]]) {
        self.name = name
        self.rows = rows
    }
}

/// How numbers are written as text, in CSV and in XLSX alike.
enum NumberText {
    /// Integral values up to 2^53 without a fraction ("42", not "42.0"); anything else as
    /// Swift's shortest round-tripping form, which is also valid `xsd:double`.
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) <= 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
