/// Why a file could not be read as a table, in words for the person who uploaded it.
///
/// Every malformed, truncated or hostile input ends in one of these, never in a crash or an
/// unbounded allocation: the readers check each offset and length before they use it.
public enum TabularError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are neither UTF-8 nor GB18030 (`offset` is where decoding failed).
    case unreadableText(offset: Int)
    /// UTF-16 text ("Unicode text" in Excel's save dialog) is not accepted.
    case utf16
    /// A quoted CSV field opened in this row is never closed.
    case unterminatedQuote(row: Int)
    case tooManyRows(limit: Int)
    case tooManyColumns(limit: Int)
    /// Not a zip archive, or one whose directory points outside the file.
    case notAWorkbook(String)
    case tooManyEntries(limit: Int)
    /// An entry inflates (or says it would) beyond the limit: a zip bomb, or a sheet far too big.
    case tooLarge(limit: Int)
    case corruptEntry(String)
    case encryptedEntry(String)
    case unsupportedCompression(method: Int)
    case missingPart(String)
    case malformedXML(part: String, detail: String)
    case noSuchSheet(String)
    /// The upload has no header row, or no row below it.
    case empty
    case unknownColumn(String, accepted: [String])
    case repeatedColumn(String)
    case missingColumns([String])

    public var description: String {
        switch self {
        case .unreadableText(let offset):
            "The file is neither UTF-8 nor GB18030 text (unreadable byte at offset \(offset)); save it as \"CSV UTF-8\"."
        case .utf16: "The file is UTF-16 text; save it as \"CSV UTF-8\" or as an Excel workbook (.xlsx)."
        case .unterminatedQuote(let row): "A quoted field starting in row \(row) is never closed."
        case .tooManyRows(let limit): "The file has more than \(limit) rows; split it."
        case .tooManyColumns(let limit): "A row has more than \(limit) columns."
        case .notAWorkbook(let detail): "The file is not an Excel workbook (.xlsx): \(detail)."
        case .tooManyEntries(let limit): "The workbook holds more than \(limit) parts."
        case .tooLarge(let limit): "The workbook unpacks to more than \(limit / 1_048_576) MB."
        case .corruptEntry(let part): "The workbook is damaged: \(part) does not unpack to what the archive says."
        case .encryptedEntry(let part): "The workbook is password-protected (\(part)); save it without a password."
        case .unsupportedCompression(let method): "The workbook uses a compression this service does not read (method \(method))."
        case .missingPart(let part): "The workbook has no \(part)."
        case .malformedXML(let part, let detail): "The workbook's \(part) is not well-formed: \(detail)."
        case .noSuchSheet(let name): "The workbook has no sheet named \"\(name)\"."
        case .empty: "The file has no header row followed by rows to import."
        case .unknownColumn(let name, let accepted):
            "Unknown column \"\(name)\" in the header row; the columns are: \(accepted.joined(separator: ", "))."
        case .repeatedColumn(let name): "The column \"\(name)\" appears twice in the header row."
        case .missingColumns(let names): "The header row lacks the column(s) \(names.joined(separator: ", "))."
        }
    }
}

/// The bounds a reader holds an upload to. The defaults suit an import of a few thousand
/// people; every one is checked before the memory it guards is used.
public struct TabularLimits: Sendable, Equatable {
    /// Rows, the header included. Empty rows beyond the limit (a spreadsheet formatted down
    /// to row 1,048,576) do not count; a value beyond it does.
    public var rows: Int
    /// Columns of any row holding a value.
    public var columns: Int
    /// Bytes all the parts read from one workbook may unpack to, together.
    public var inflatedBytes: Int
    /// Entries in a workbook's zip directory.
    public var zipEntries: Int

    public init(rows: Int = 10_001, columns: Int = 64, inflatedBytes: Int = 50 * 1_048_576, zipEntries: Int = 1_000) {
        self.rows = rows
        self.columns = columns
        self.inflatedBytes = inflatedBytes
        self.zipEntries = zipEntries
    }
}
