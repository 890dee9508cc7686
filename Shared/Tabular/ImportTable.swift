/// An uploaded table of records to import: a header row naming the columns, then one record
/// per row, each a dictionary of the columns it fills.
///
/// Columns are matched by any of their accepted headers (an English field name or its
/// Chinese label), ignoring case and surrounding spaces, so a station's own spreadsheet
/// works as long as its header row uses the documented words. An unknown or repeated header
/// is refused rather than ignored: a misspelt "身份证" column silently dropped would import
/// every row without its ID number.
public struct ImportTable: Sendable {
    /// What the uploaded bytes are.
    public enum Format: Sendable, Equatable {
        case csv, xlsx

        public static let csvMediaType = "text/csv"
        public static let xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

        /// The format a `Content-Type` names (parameters such as `charset` ignored); nil for
        /// any other.
        public init?(contentType: String) {
            let mediaType = contentType.split(separator: ";").first.map { String($0).trimmedWhitespace.lowercased() } ?? ""
            switch mediaType {
            case Self.csvMediaType, "application/csv": self = .csv
            case Self.xlsxMediaType: self = .xlsx
            default: return nil
            }
        }
    }

    /// One column: the field it fills and the headers that name it.
    public struct Column: Sendable {
        public var field: String
        public var headers: [String]
        public var required: Bool

        public init(_ field: String, _ headers: String..., required: Bool = false) {
            self.field = field
            self.headers = [field] + headers
            self.required = required
        }
    }

    /// A row to import: its number in the sheet (the header row is usually 1) and its
    /// non-empty cells by field, trimmed.
    public struct Record: Sendable, Equatable {
        public var row: Int
        public var values: [String: String]

        public init(row: Int, values: [String: String]) {
            self.row = row
            self.values = values
        }
    }

    public var records: [Record]

    /// Reads `bytes` (the first sheet of a workbook) and matches its header row to `columns`.
    /// Empty rows are skipped; at most `maximumRecords` records (`limits.rows` is derived).
    public init(_ bytes: [UInt8], format: Format, columns: [Column], maximumRecords: Int) throws(TabularError) {
        let limits = TabularLimits(rows: maximumRecords + 1)
        let rows: [[String]]
        switch format {
        case .csv: rows = try CSVReader.rows(bytes, limits: limits)
        case .xlsx: rows = try XLSXReader.rows(bytes, limits: limits).map { $0.map(\.text) }
        }
        try self.init(rows: rows, columns: columns, maximumRecords: maximumRecords)
    }

    init(rows: [[String]], columns: [Column], maximumRecords: Int) throws(TabularError) {
        let filled = rows.enumerated().filter { !$0.element.allSatisfy { $0.trimmedWhitespace.isEmpty } }
        guard let header = filled.first else { throw .empty }
        var fieldAt: [Int: String] = [:]
        var seen: Set<String> = []
        for (index, text) in header.element.enumerated() {
            let name = text.trimmedWhitespace
            if name.isEmpty { continue }
            guard let column = columns.first(where: { $0.headers.contains { $0.lowercased() == name.lowercased() } }) else {
                throw .unknownColumn(name, accepted: columns.map { $0.headers.joined(separator: "/") })
            }
            guard seen.insert(column.field).inserted else { throw .repeatedColumn(name) }
            fieldAt[index] = column.field
        }
        let missing = columns.filter { $0.required && !seen.contains($0.field) }
        guard missing.isEmpty else { throw .missingColumns(missing.map { $0.headers.joined(separator: "/") }) }
        records = filled.dropFirst().map { offset, row in
            var values: [String: String] = [:]
            for (index, text) in row.enumerated() {
                let value = text.trimmedWhitespace
                if let field = fieldAt[index], !value.isEmpty { values[field] = value }
            }
            return Record(row: offset + 1, values: values)
        }
        guard !records.isEmpty else { throw .empty }
        guard records.count <= maximumRecords else { throw .tooManyRows(limit: maximumRecords) }
    }
}
