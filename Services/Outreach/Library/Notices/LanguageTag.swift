import ServiceKit

/// A language tag as BCP 47 (RFC 5646) writes it: `zh`, `yue`, `nan`, `en-GB`, and the
/// dialects without a code of their own as a language plus a private-use subtag —
/// `wuu-x-hangzhou` (杭州话), `wuu-x-suzhou` (苏州话), `zh-x-sichuan` (四川话).
///
/// The list is open: any well-formed tag is accepted (the syntax is checked, not a
/// registry), so a station writes the dialect its elders read without waiting for a
/// release. Tags are kept in their canonical case (`zh-Hant-TW`, `wuu-x-hangzhou`), so
/// `ZH-hant-tw` and `zh-Hant-TW` are one language.
struct LanguageTag: Hashable, Sendable, Comparable, CustomStringConvertible {
    let rawValue: String

    /// Mandarin (普通话): every notice has it, and it is what a reader gets when their
    /// language has no text.
    static let mandarin = LanguageTag(canonical: "zh")

    /// The fixed names notices used before tags, still accepted wherever a tag is, so old
    /// clients and links (`?language=suzhounese`) keep working. Stored notices were moved to
    /// the tags (outreach migration 4).
    static let formerNames: [String: String] = [
        "mandarin": "zh", "cmn": "zh", "suzhounese": "wuu-x-suzhou", "shanghainese": "wuu-x-shanghai", "cantonese": "yue",
        "english": "en",
    ]

    /// The longest tag accepted, in bytes (a tag is a JSON key and a column value).
    static let maximumLength = 64

    private init(canonical: String) { rawValue = canonical }

    /// The tag in canonical case, or nil when `text` is not a well-formed tag (nor a former
    /// name). `cmn` is read as `zh`: one Mandarin, so its texts and reads are not split.
    init?(_ text: String) {
        if let former = Self.formerNames[text.lowercased()] {
            rawValue = former
            return
        }
        guard text.utf8.count <= Self.maximumLength, let canonical = Self.canonical(text) else { return nil }
        rawValue = canonical
    }

    var description: String { rawValue }

    static func < (lhs: LanguageTag, rhs: LanguageTag) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The tags to try for a reader, most specific first (RFC 4647 lookup): `zh-x-sichuan`,
    /// then `zh`; `en-GB`, then `en`. A private-use or extension singleton left at the end
    /// is dropped with its subtag.
    var fallbacks: [LanguageTag] {
        var subtags = rawValue.split(separator: "-").map(String.init)
        var chain: [LanguageTag] = []
        while !subtags.isEmpty {
            chain.append(LanguageTag(canonical: subtags.joined(separator: "-")))
            subtags.removeLast()
            if subtags.last?.count == 1 { subtags.removeLast() }
        }
        return chain
    }

    /// Checks the RFC 5646 `langtag` / `privateuse` syntax and returns the canonical case
    /// (language lower, script title, region upper, everything after a singleton lower).
    static func canonical(_ text: String) -> String? {
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard !subtags.isEmpty, subtags.allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy(\.isASCIIAlphanumeric) }) else {
            return nil
        }
        var result: [String] = []
        var index = 0
        func alpha(_ subtag: String) -> Bool { subtag.allSatisfy(\.isASCIILetter) }
        func digits(_ subtag: String) -> Bool { subtag.allSatisfy(\.isASCIIDigit) }
        // A whole private-use tag: x-…
        if subtags[0].lowercased() != "x" {
            let language = subtags[0]
            guard alpha(language), (2...8).contains(language.count) else { return nil }
            result.append(language.lowercased())
            index = 1
            // extlang: up to three 3-letter subtags after a 2–3 letter language.
            if language.count <= 3 {
                var extlangs = 0
                while index < subtags.count, extlangs < 3, subtags[index].count == 3, alpha(subtags[index]) {
                    result.append(subtags[index].lowercased())
                    index += 1
                    extlangs += 1
                }
            }
            if index < subtags.count, subtags[index].count == 4, alpha(subtags[index]) {
                result.append(subtags[index].prefix(1).uppercased() + subtags[index].dropFirst().lowercased())
                index += 1
            }
            if index < subtags.count,
                (subtags[index].count == 2 && alpha(subtags[index])) || (subtags[index].count == 3 && digits(subtags[index]))
            {
                result.append(subtags[index].uppercased())
                index += 1
            }
            while index < subtags.count,
                (5...8).contains(subtags[index].count) || (subtags[index].count == 4 && subtags[index].first!.isASCIIDigit)
            {
                result.append(subtags[index].lowercased())
                index += 1
            }
            // Extensions: a singleton (not x) and one or more 2–8 character subtags.
            while index < subtags.count, subtags[index].count == 1, subtags[index].lowercased() != "x" {
                result.append(subtags[index].lowercased())
                index += 1
                let start = index
                while index < subtags.count, (2...8).contains(subtags[index].count) {
                    result.append(subtags[index].lowercased())
                    index += 1
                }
                guard index > start else { return nil }
            }
        }
        // Private use: x and one or more 1–8 character subtags, to the end.
        if index < subtags.count {
            guard subtags[index].lowercased() == "x", index + 1 < subtags.count else { return nil }
            result += subtags[index...].map { $0.lowercased() }
            index = subtags.count
        }
        return result.joined(separator: "-")
    }
}

extension FieldValidator {
    /// The language tag `text` under `field`, or nil with the failure recorded: "is not a
    /// language tag (BCP 47), like `examples`".
    mutating func languageTag(_ text: String, _ field: String, like examples: String) -> LanguageTag? {
        guard let tag = LanguageTag(text) else {
            fail(field, "is not a language tag (BCP 47), like \(examples)")
            return nil
        }
        return tag
    }
}

extension Character {
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIIAlphanumeric: Bool { isASCIILetter || isASCIIDigit }
}
