/// Reads one sheet of an Office Open XML workbook (.xlsx, as Excel, WPS and LibreOffice save
/// it) into rows of cells.
///
/// The sheet is found the way Excel finds it — package relationships → workbook → workbook
/// relationships — and is the first sheet, or the one named. Cells are shared strings,
/// inline strings, formula results (`str`), numbers, booleans (`TRUE`/`FALSE`) and error
/// values (`#N/A`), as text or number; formulas are never evaluated, styles are ignored, so a
/// date is the serial number Excel stores. Rows are placed by their `r` references, so
/// `rows[n - 1]` is the sheet's row n and an empty row in between stays an empty array; a
/// row ends at its last cell with a value.
public enum XLSXReader {
    public static func rows(_ bytes: [UInt8], sheet name: String? = nil, limits: TabularLimits = TabularLimits()) throws(TabularError)
        -> [[Cell]]
    {
        var zip = try ZipReader(bytes, limits: limits)
        let workbook = try Workbook(zip: &zip)
        let target: String
        if let name {
            guard let found = workbook.sheets.first(where: { $0.name == name }) else { throw .noSuchSheet(name) }
            target = found.path
        } else {
            guard let first = workbook.sheets.first else { throw .missingPart("sheet") }
            target = first.path
        }
        let shared = try workbook.sharedStringsPath.map { path throws(TabularError) in
            try SharedStrings.parse(zip.read(path), part: path)
        }
        return try SheetCells.parse(zip.read(target), part: target, sharedStrings: shared ?? [], limits: limits)
    }

    /// The names of the workbook's sheets, in order.
    public static func sheetNames(_ bytes: [UInt8], limits: TabularLimits = TabularLimits()) throws(TabularError) -> [String] {
        var zip = try ZipReader(bytes, limits: limits)
        return try Workbook(zip: &zip).sheets.map(\.name)
    }
}

/// The workbook part: its sheets in order, where each one and the shared strings live.
struct Workbook {
    var sheets: [(name: String, path: String)] = []
    var sharedStringsPath: String?

    init(zip: inout ZipReader) throws(TabularError) {
        var workbookPath = "xl/workbook.xml"
        if zip.contains("_rels/.rels") {
            let relationships = try Self.relationships(zip.read("_rels/.rels"), part: "_rels/.rels", base: "")
            if let office = relationships.values.first(where: { $0.type.hasSuffix("/officeDocument") }) { workbookPath = office.target }
        }
        let folder = Self.folder(of: workbookPath)
        let relationshipsPath = folder + "_rels/" + String(workbookPath.dropFirst(folder.count)) + ".rels"
        let relationships =
            zip.contains(relationshipsPath)
            ? try Self.relationships(zip.read(relationshipsPath), part: relationshipsPath, base: folder) : [:]

        var scanner = XMLScanner(try zip.read(workbookPath), part: workbookPath)
        var position = 0
        while let token = try scanner.next() {
            guard case .start("sheet", let attributes, _) = token else { continue }
            position += 1
            let name = attributes["name"] ?? "Sheet\(position)"
            let id = attributes.first { $0.key.hasSuffix(":id") }?.value
            let path = id.flatMap { relationships[$0]?.target } ?? "\(folder)worksheets/sheet\(position).xml"
            sheets.append((name, path))
        }
        sharedStringsPath =
            relationships.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
            ?? (zip.contains(folder + "sharedStrings.xml") ? folder + "sharedStrings.xml" : nil)
    }

    /// A relationships part: id → (type, target resolved against `base`).
    static func relationships(_ bytes: [UInt8], part: String, base: String) throws(TabularError) -> [String: (type: String, target: String)]
    {
        var result: [String: (type: String, target: String)] = [:]
        var scanner = XMLScanner(bytes, part: part)
        while let token = try scanner.next() {
            guard case .start("Relationship", let attributes, _) = token, let id = attributes["Id"], let target = attributes["Target"]
            else {
                continue
            }
            result[id] = (attributes["Type"] ?? "", resolve(target, base: base))
        }
        return result
    }

    /// A relationship target as a path inside the archive: absolute ("/xl/…") or relative to
    /// the referring part's folder, with "." and ".." segments applied.
    static func resolve(_ target: String, base: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
        var segments: [Substring] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }
}

/// The shared-strings part: the text of each `<si>`, rich-text runs joined, phonetic runs
/// (`<rPh>`, furigana) left out.
enum SharedStrings {
    static func parse(_ bytes: [UInt8], part: String) throws(TabularError) -> [String] {
        var strings: [String] = []
        var scanner = XMLScanner(bytes, part: part)
        var current: String?
        var inText = false
        while let token = try scanner.next() {
            switch token {
            case .start("si", _, let selfClosing):
                if selfClosing { strings.append("") } else { current = "" }
            case .start("rPh", _, false): try scanner.skipElement()
            case .start("t", _, let selfClosing): inText = !selfClosing
            case .end("t"): inText = false
            case .text(let text) where inText && current != nil: current? += text
            case .end("si"):
                strings.append(current ?? "")
                current = nil
            default: break
            }
        }
        return strings
    }
}
