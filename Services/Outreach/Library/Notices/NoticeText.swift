import Foundation

/// A notice's texts per language tag (Mandarin always), and which one a reader gets.
struct NoticeText: Sendable, Equatable {
    var variants: [LanguageTag: String]

    /// The text for a reader of `language`: theirs when written, else the nearest broader tag
    /// that is (`zh-x-sichuan` → `zh`, `en-GB` → `en`), else Mandarin (every notice has it).
    /// An elder in Hangzhou asking for `wuu-x-hangzhou` where only `wuu-x-suzhou` exists gets
    /// Mandarin: neighbouring dialects are not guessed at.
    func text(for language: LanguageTag?) -> (language: LanguageTag, text: String)? {
        for tag in language?.fallbacks ?? [] {
            if let text = variants[tag] { return (tag, text) }
        }
        return variants[.mandarin].map { (.mandarin, $0) }
    }
}
