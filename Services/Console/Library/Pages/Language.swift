import Hummingbird

/// The console's two languages: Chinese first (the people on the ground), English on a toggle.
/// Chosen by the `lang` cookie the toggle sets; Chinese until someone asks for English (a
/// borrowed phone or a desk browser set up in English must not hide the Chinese pages).
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    static func of(_ request: Request) -> Language {
        request.cookies["lang"].flatMap { Language(rawValue: $0.value) } ?? .zh
    }

    /// The text in this language.
    func callAsFunction(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
