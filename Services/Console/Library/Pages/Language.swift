import Hummingbird

/// The console's two languages: Chinese first (the people on the ground), English on a toggle.
/// Chosen by the `lang` cookie the toggle sets, else by the browser's `Accept-Language`.
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    static func of(_ request: Request) -> Language {
        if let chosen = request.cookies["lang"].flatMap({ Language(rawValue: $0.value) }) { return chosen }
        let accepted = request.headers[.acceptLanguage] ?? ""
        return accepted.lowercased().hasPrefix("en") ? .en : .zh
    }

    /// The text in this language.
    func callAsFunction(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
