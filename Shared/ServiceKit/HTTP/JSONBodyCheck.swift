/// The strict scan every JSON request body passes before it is decoded (``Request/readJSON(as:context:maximumBytes:)``).
///
/// Why: Foundation's decoder accepts JSON that the rest of the system cannot hold or cannot
/// agree on, and the routes' validators do not look at every field:
/// - U+0000 and the other C0 controls (PostgreSQL `text` refuses U+0000, and none of them
///   belongs in a name, a note or a role), and an unpaired surrogate escape (`\ud800`,
///   which PostgreSQL `jsonb` refuses): once they reach the database the write fails as a 500;
/// - a key twice in one object (`{"quantity":1,"quantity":3}`): the decoder keeps one
///   value, the idempotency fingerprint (``JSONParser``) may keep another, and a retry was
///   answered with a different write's stored response;
/// - nesting without end: free-form members (a visit's assessment) were stored 500 levels
///   deep, and the documents built from them later came out empty.
///
/// Each is refused as a 400 whose `errors` name the member (`items/2/roles/0`). Keys are
/// checked like values. TAB, LF and CR stay allowed (escaped, as JSON requires): addresses
/// and notes contain line breaks. One pass, no values built except the keys.
public struct JSONBodyCheck {
    /// How deeply objects and arrays may nest in any request body: the top-level object is
    /// level 1. Every documented body needs at most 5; 16 leaves room for free-form members
    /// (assessments, notice variants) while keeping recursive decoders and `jsonb` functions
    /// far from their limits.
    public static let maximumDepth = 16

    /// What is wrong and where: `field` is the member's path, `/`-separated like the
    /// decoder's errors (`""` for the body itself).
    struct Finding: Error, Equatable {
        var field: String
        var message: String
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    private let bytes: [UInt8]
    private var index = 0
    private var path: [Step] = []

    /// Refuses `bytes` with a 400 unless it is one JSON value free of the faults above.
    public static func check(_ bytes: [UInt8]) throws(ProblemDetails) {
        guard let finding = finding(in: bytes) else { return }
        throw ProblemDetails(
            status: .badRequest, title: "Unreadable body", detail: "The body is not JSON this service accepts.",
            errors: [.init(field: finding.field, message: finding.message)]
        )
    }

    /// The first fault in `bytes`, or `nil` when there is none.
    static func finding(in bytes: [UInt8]) -> Finding? {
        var scan = JSONBodyCheck(bytes: bytes)
        do throws(Finding) {
            try scan.value(depth: 0)
            scan.skipWhitespace()
            guard scan.index == bytes.count else { throw scan.syntax("text after the value") }
            return nil
        } catch {
            return error
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Findings

    private func fault(_ message: String) -> Finding {
        Finding(field: path.map(Self.render).joined(separator: "/"), message: message)
    }

    private func syntax(_ reason: String) -> Finding {
        fault("is not valid JSON: \(reason) at byte \(index)")
    }

    /// A path step as shown to the client: control characters replaced, long keys cut, so
    /// the answer neither carries what was refused nor echoes megabytes back.
    private static func render(_ step: Step) -> String {
        switch step {
        case .index(let index): return String(index)
        case .key(let key):
            let shown = String(String.UnicodeScalarView(key.unicodeScalars.prefix(64).map { $0.value < 0x20 ? "\u{FFFD}" : $0 }))
            return key.unicodeScalars.count > 64 ? shown + "…" : shown
        }
    }

    // MARK: Grammar

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    /// One value, inside `depth` objects and arrays.
    private mutating func value(depth: Int) throws(Finding) {
        skipWhitespace()
        guard index < bytes.count else { throw syntax("the body ends where a value is expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw fault("nests objects and arrays more than \(Self.maximumDepth) levels deep") }
            if bytes[index] == UInt8(ascii: "{") { try object(depth: depth + 1) } else { try array(depth: depth + 1) }
        case UInt8(ascii: "\""):
            if let problem = try string(keepingText: false).problem { throw fault(problem) }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw syntax("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws(Finding) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        // Swift compares strings by canonical equivalence, as the decoder's dictionary does:
        // a key spelt once precomposed and once decomposed is the same key to both.
        var seen = Set<String>()
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw syntax("a member name is expected") }
            let (text, problem) = try string(keepingText: true)
            let key = String(decoding: text, as: UTF8.self)
            path.append(.key(key))
            if let problem { throw fault(problem) }
            guard seen.insert(key).inserted else { throw fault("appears more than once in the same object") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw syntax("':' is expected") }
            index += 1
            try value(depth: depth)
            path.removeLast()
            skipWhitespace()
            guard index < bytes.count else { throw syntax("the body ends inside an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            throw syntax("',' or '}' is expected")
        }
    }

    private mutating func array(depth: Int) throws(Finding) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position = 0
        while true {
            path.append(.index(position))
            try value(depth: depth)
            path.removeLast()
            position += 1
            skipWhitespace()
            guard index < bytes.count else { throw syntax("the body ends inside an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            throw syntax("',' or ']' is expected")
        }
    }

    /// Reads a string to its closing quote. A refused character does not stop the reading
    /// (a key's path is shown whole); it comes back as `problem`, the first one found.
    /// `text` is the decoded UTF-8, kept only when asked (keys, for duplicates).
    private mutating func string(keepingText: Bool) throws(Finding) -> (text: [UInt8], problem: String?) {
        index += 1
        var text: [UInt8] = []
        var problem: String?
        func refuse(_ scalar: UInt32) {
            if problem == nil {
                problem = "contains the control character \(Self.spelling(scalar)); only tab, line feed and carriage return are allowed"
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return (text, problem)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw syntax("the body ends inside an escape") }
                let code = bytes[index]
                index += 1
                switch code {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): if keepingText { text.append(code) }
                case UInt8(ascii: "n"): if keepingText { text.append(0x0A) }
                case UInt8(ascii: "r"): if keepingText { text.append(0x0D) }
                case UInt8(ascii: "t"): if keepingText { text.append(0x09) }
                case UInt8(ascii: "b"): refuse(0x08)
                case UInt8(ascii: "f"): refuse(0x0C)
                case UInt8(ascii: "u"):
                    let scalar = try unicodeEscape()
                    if let scalar {
                        if scalar.value < 0x20 && scalar.value != 0x09 && scalar.value != 0x0A && scalar.value != 0x0D {
                            refuse(scalar.value)
                        }
                        if keepingText { text.append(contentsOf: String(scalar).utf8) }
                    } else if problem == nil {
                        problem = "contains an unpaired surrogate escape; text must be valid Unicode"
                    }
                default: throw syntax("unknown escape")
                }
            case ..<0x20:
                // Raw, even tab and line breaks are not JSON; the others are refused as such.
                guard byte != 0x09 && byte != 0x0A && byte != 0x0D else { throw syntax("a raw tab or line break inside a string") }
                refuse(UInt32(byte))
            default:
                if keepingText { text.append(byte) }
            }
        }
        throw syntax("the body ends inside a string")
    }

    /// The scalar of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair;
    /// `nil` for a surrogate without its partner.
    private mutating func unicodeEscape() throws(Finding) -> Unicode.Scalar? {
        let first = try hex4()
        switch first {
        case 0xD800..<0xDC00:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
            let start = index
            index += 2
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else {
                // Not its partner: read that escape again on its own.
                index = start
                return nil
            }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        case 0xDC00..<0xE000:
            return nil
        default:
            return Unicode.Scalar(first)
        }
    }

    private mutating func hex4() throws(Finding) -> UInt32 {
        guard index + 4 <= bytes.count else { throw syntax("a short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("a \\u escape needs four hex digits")
            }
            index += 1
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(Finding) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count, (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else {
            throw syntax("unknown literal")
        }
        index += count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as RFC 8259 spells numbers.
    private mutating func number() throws(Finding) {
        func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let leadsWithZero = index < bytes.count && bytes[index] == UInt8(ascii: "0")
        let integer = digits()
        guard integer > 0, !(leadsWithZero && integer > 1) else { throw syntax("malformed number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw syntax("malformed number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw syntax("malformed number") }
        }
    }

    /// `U+0000`: how a refused character is named.
    private static func spelling(_ scalar: UInt32) -> String {
        let hex = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
