import Foundation

/// The languages notices and guides are written in: Mandarin always, and the local dialect
/// or English where the station wrote one (an elder in Suzhou reads Suzhounese best).
enum NoticeLanguage: String, Sendable, Codable, CaseIterable {
    case mandarin, suzhounese, shanghainese, cantonese, english
}

/// A notice's variants per language, and which one a reader gets.
struct NoticeText: Sendable, Equatable {
    var variants: [NoticeLanguage: String]

    /// The reader's language when written, else Mandarin (every notice has it).
    func text(for language: NoticeLanguage?) -> (language: NoticeLanguage, text: String)? {
        if let language, let text = variants[language] { return (language, text) }
        return variants[.mandarin].map { (.mandarin, $0) }
    }
}
