/// A worksheet part's `<sheetData>` as rows of cells (see `XLSXReader`).
enum SheetCells {
    /// Excel's own bounds; a reference beyond them is malformed, not merely large.
    static let maximumRow = 1_048_576
    static let maximumColumn = 16_384

    static func parse(_ bytes: [UInt8], part: String, sharedStrings: [String], limits: TabularLimits) throws(TabularError) -> [[Cell]] {
        var scanner = XMLScanner(bytes, part: part)
        var rows: [[Cell]] = []
        var row = 0
        var column = -1
        // The cell being read: its position, type, and the text of its <v> or inline <t>.
        var cell: (row: Int, column: Int, type: String)?
        var value: String?
        var capture = false

        func malformed(_ detail: String) -> TabularError { .malformedXML(part: part, detail: detail) }

        while let token = try scanner.next() {
            switch token {
            case .start("row", let attributes, _):
                if let text = attributes["r"] {
                    guard let number = Int(text), number > row, number <= maximumRow else { throw malformed("row number \(text)") }
                    row = number
                } else {
                    row += 1
                }
                column = -1
            case .start("c", let attributes, let selfClosing):
                if let reference = attributes["r"] {
                    guard let position = Self.position(reference), position.row == row, position.column > column else {
                        throw malformed("cell reference \(reference) in row \(row)")
                    }
                    column = position.column
                } else {
                    column += 1
                }
                guard column < maximumColumn, row >= 1 else { throw malformed("a cell outside the sheet") }
                if selfClosing { continue }
                cell = (row, column, attributes["t"] ?? "n")
                value = nil
            case .start("v", _, false), .start("t", _, false):
                capture = cell != nil
                if capture, value == nil { value = "" }
            case .start("rPh", _, false): try scanner.skipElement()
            case .end("v"), .end("t"): capture = false
            case .text(let text) where capture: value? += text
            case .end("c"):
                guard let current = cell else { continue }
                cell = nil
                guard let value,
                    let content = try Self.content(type: current.type, value: value, sharedStrings: sharedStrings, malformed: malformed)
                else { continue }
                guard current.row <= limits.rows else { throw .tooManyRows(limit: limits.rows) }
                guard current.column < limits.columns else { throw .tooManyColumns(limit: limits.columns) }
                while rows.count < current.row { rows.append([]) }
                while rows[current.row - 1].count < current.column { rows[current.row - 1].append(.text("")) }
                rows[current.row - 1].append(content)
            default: break
            }
        }
        return rows
    }

    /// A cell's content by its type; nil for an empty one.
    static func content(type: String, value: String, sharedStrings: [String], malformed: (String) -> TabularError) throws(TabularError)
        -> Cell?
    {
        switch type {
        case "s":
            guard let index = Int(value.trimmedWhitespace), sharedStrings.indices.contains(index) else {
                throw malformed("shared string \(value) does not exist")
            }
            return sharedStrings[index].isEmpty ? nil : .text(sharedStrings[index])
        case "b": return .text(value.trimmedWhitespace == "1" ? "TRUE" : "FALSE")
        case "n":
            let trimmed = value.trimmedWhitespace
            if trimmed.isEmpty { return nil }
            if let number = Double(trimmed), number.isFinite { return .number(number) }
            return .text(trimmed)
        default:  // inlineStr, str, e, d
            return value.isEmpty ? nil : .text(value)
        }
    }

    /// "B3" → row 3, column 1 (zero-based); nil for anything else.
    static func position(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            default: return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, digits > 0, row >= 1, row <= maximumRow, column <= maximumColumn else { return nil }
        return (row, column - 1)
    }
}

extension String {
    var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
