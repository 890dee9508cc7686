/// A pull scanner for the few XML parts of a workbook: start tags with attributes, end tags
/// and text, nothing more. It is not a general XML parser and does not try to be one:
///
/// - element names lose their namespace prefix (`x:row` is `row`); attribute names keep it;
/// - the five predefined entities and numeric character references are decoded, any other
///   entity is an error — and a document type declaration is refused outright, so no entity
///   can be defined, let alone expanded (no "billion laughs");
/// - comments and processing instructions are skipped, CDATA sections are text.
///
/// Every read is bounds-checked; malformed input ends in `TabularError.malformedXML`.
struct XMLScanner {
    enum Token: Equatable {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    private let bytes: [UInt8]
    private let part: String
    private var index = 0

    init(_ bytes: [UInt8], part: String) {
        self.bytes = bytes
        self.part = part
    }

    mutating func next() throws(TabularError) -> Token? {
        // Comments and processing instructions are skipped in a loop, not by calling `next()`
        // again: a part of millions of `<?x?>` (a few KB deflated) would otherwise overflow the
        // stack and take the whole replica down with it.
        while starts(with: "<?") || starts(with: "<!--") {
            try skip(past: starts(with: "<?") ? "?>" : "-->")
        }
        guard index < bytes.count else { return nil }
        guard bytes[index] == UInt8(ascii: "<") else {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
            return .text(try decoded(bytes[start..<index]))
        }
        if starts(with: "<![CDATA[") {
            index += 9
            let start = index
            try skip(past: "]]>")
            return .text(String(decoding: bytes[start..<(index - 3)], as: UTF8.self))
        }
        if starts(with: "<!") { throw malformed("document type declarations are not accepted") }
        if starts(with: "</") {
            index += 2
            let name = localName(readName())
            skipSpace()
            try expect(">")
            return .end(name: name)
        }
        index += 1
        let name = localName(readName())
        guard !name.isEmpty else { throw malformed("a tag without a name") }
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard index < bytes.count else { throw malformed("the file ends inside <\(name)>") }
            if bytes[index] == UInt8(ascii: "/") {
                index += 1
                try expect(">")
                return .start(name: name, attributes: attributes, selfClosing: true)
            }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                return .start(name: name, attributes: attributes, selfClosing: false)
            }
            let attribute = readName()
            guard !attribute.isEmpty else { throw malformed("an unexpected character in <\(name)>") }
            skipSpace()
            try expect("=")
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw malformed("an attribute value without quotes in <\(name)>")
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                guard bytes[index] != UInt8(ascii: "<") else { throw malformed("'<' in an attribute value") }
                index += 1
            }
            guard index < bytes.count else { throw malformed("the file ends inside an attribute value") }
            attributes[attribute] = try decoded(bytes[start..<index])
            index += 1
        }
    }

    /// Reads past the end of the element just started (its children and text), for parts of
    /// a document the reader does not need.
    mutating func skipElement() throws(TabularError) {
        var depth = 1
        while depth > 0, let token = try next() {
            switch token {
            case .start(_, _, let selfClosing): if !selfClosing { depth += 1 }
            case .end: depth -= 1
            case .text: break
            }
        }
    }

    // MARK: Pieces

    private func malformed(_ detail: String) -> TabularError { .malformedXML(part: part, detail: detail) }

    private func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        return true
    }

    private mutating func skip(past literal: StaticString) throws(TabularError) {
        while index < bytes.count {
            if starts(with: literal) {
                index += literal.utf8CodeUnitCount
                return
            }
            index += 1
        }
        throw malformed("the file ends inside a comment, declaration or CDATA section")
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(TabularError) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { throw malformed("expected '\(character)'") }
        index += 1
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "/"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "<")].contains(byte) {
                break
            }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// Text with its entity and character references replaced.
    private func decoded(_ slice: ArraySlice<UInt8>) throws(TabularError) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var position = slice.startIndex
        while position < slice.endIndex {
            let byte = slice[position]
            guard byte == UInt8(ascii: "&") else {
                out.append(byte)
                position += 1
                continue
            }
            guard let semicolon = slice[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw malformed("an '&' that starts no entity")
            }
            let name = String(decoding: slice[(position + 1)..<semicolon], as: UTF8.self)
            guard let scalar = Self.entity(name) else { throw malformed("unknown entity &\(name);") }
            out.append(contentsOf: String(scalar).utf8)
            position = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The character an entity or character reference stands for, if XML allows it.
    static func entity(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let value: UInt32?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                value = UInt32(name.dropFirst(2), radix: 16)
            } else if name.hasPrefix("#") {
                value = UInt32(name.dropFirst(), radix: 10)
            } else {
                value = nil
            }
            guard let value, let scalar = Unicode.Scalar(value), XMLText.allowed(scalar) else { return nil }
            return scalar
        }
    }
}
