/// Writes a table as a CSV document that Excel as installed in China opens correctly.
///
/// - UTF-8 with a byte-order mark: without it, Excel on a Chinese Windows reads the bytes as
///   GB18030 and shows names as mojibake.
/// - RFC 4180: a field holding a comma, a quote, CR or LF is quoted, quotes doubled; rows end
///   in CRLF.
/// - **Formula injection guard**: a text cell whose first character is `=`, `+`, `-`, `@`,
///   a tab or a carriage return gets a leading apostrophe (`'`), so a spreadsheet shows it as
///   text instead of running it as a formula (a name typed as `=HYPERLINK(…)` in a public
///   form must not become a link in a coordinator's export). Number cells are written as
///   numbers and never prefixed, so negative numbers stay numbers.
public enum CSVWriter {
    public static func document(_ rows: [[Cell]]) -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        out.reserveCapacity(rows.count * 64)
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(cell, to: &out)
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        return out
    }

    private static func append(_ cell: Cell, to out: inout [UInt8]) {
        let text: String
        switch cell {
        case .number(let value): text = NumberText.format(value)
        case .text(let value): text = guarded(value)
        }
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else {
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The formula injection guard (see the type's comment).
    static func guarded(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + text
        default: return text
        }
    }
}
