/// Reads CSV (RFC 4180) into rows of text: fields separated by commas, quoted fields with
/// doubled quotes and line breaks inside, rows ending in CRLF, LF or CR. The bytes are UTF-8
/// or GB18030 (`TextDecoding`).
///
/// Rows are records, numbered as a spreadsheet numbers them (a quoted line break does not
/// start a new row). An empty line stays an empty row so later rows keep their numbers; a
/// final line break does not add one. Leniency where Excel and WPS differ from the RFC: text
/// after a closing quote is kept as part of the field.
public enum CSVReader {
    public static func rows(_ bytes: [UInt8], limits: TabularLimits = TabularLimits()) throws(TabularError) -> [[String]] {
        try rows(text: TextDecoding.decode(bytes), limits: limits)
    }

    static func rows(text: String, limits: TabularLimits) throws(TabularError) -> [[String]] {
        let utf8 = Array(text.utf8)
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var index = 0
        var quoted = false
        var rowStart = true

        func endField() throws(TabularError) {
            if row.count >= limits.columns {
                // Trailing empty fields beyond the limit (a row of commas) are dropped, a value is refused.
                guard field.isEmpty else { throw .tooManyColumns(limit: limits.columns) }
                return
            }
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRow() throws(TabularError) {
            try endField()
            while row.last?.isEmpty == true { row.removeLast() }
            if rows.count >= limits.rows {
                guard row.isEmpty else { throw .tooManyRows(limit: limits.rows) }
            } else {
                rows.append(row)
            }
            row = []
            rowStart = true
        }

        while index < utf8.count {
            let byte = utf8[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < utf8.count, utf8[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty:
                quoted = true
                rowStart = false
            case UInt8(ascii: ","):
                try endField()
                rowStart = false
            case 0x0D:
                if index < utf8.count, utf8[index] == 0x0A { index += 1 }
                try endRow()
            case 0x0A:
                try endRow()
            default:
                field.append(byte)
                rowStart = false
            }
        }
        if quoted { throw .unterminatedQuote(row: rows.count + 1) }
        if !rowStart || !field.isEmpty || !row.isEmpty { try endRow() }
        while rows.last?.isEmpty == true { rows.removeLast() }
        return rows
    }
}
