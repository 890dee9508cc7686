import Foundation
import Hummingbird
import ServiceKit

/// The language a reader asks for: `?language=` when given (an ill-formed tag is a 422, so a
/// typo is not silently served Mandarin), else the first well-formed tag of the phone's
/// `Accept-Language` by preference, else none (Mandarin).
struct ReaderLanguage: Sendable {
    var tag: LanguageTag?

    init(_ request: Request) throws(ProblemDetails) {
        if let asked = request.uri.queryParameters["language"].map(String.init) {
            var validator = FieldValidator()
            let tag = validator.languageTag(asked, "language", like: "zh, nan, wuu-x-hangzhou or zh-x-sichuan")
            try validator.check()
            self.tag = tag
            return
        }
        tag = request.headers[.acceptLanguage].flatMap(Self.preferred)
    }

    /// The most preferred well-formed tag of an `Accept-Language` value (`*` and q=0 skipped).
    static func preferred(_ header: String) -> LanguageTag? {
        var best: (tag: LanguageTag, quality: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, let tag = LanguageTag(first) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            if quality > 0, quality > (best?.quality ?? 0) { best = (tag, quality) }
        }
        return best?.tag
    }
}
