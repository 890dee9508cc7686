import Testing

@testable import Outreach

/// Notice language tags: BCP 47 syntax, canonical case, the former names, the lookup chain.
@Suite struct LanguageTagTests {
    @Test func wellFormedTagsAreAcceptedInCanonicalCaseAndIllFormedOnesRefused() {
        let accepted: [(String, String)] = [
            ("zh", "zh"), ("ZH-hant-tw", "zh-Hant-TW"), ("wuu-X-HangZhou", "wuu-x-hangzhou"), ("nan", "nan"),
            ("zh-x-sichuan", "zh-x-sichuan"),
            ("yue-HK", "yue-HK"), ("en-419", "en-419"), ("sl-rozaj-biske", "sl-rozaj-biske"), ("de-CH-1901", "de-CH-1901"),
            ("en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc"), ("zh-cmn-Hans-CN", "zh-cmn-Hans-CN"), ("x-whatever", "x-whatever"),
        ]
        for (text, canonical) in accepted { #expect(LanguageTag(text)?.rawValue == canonical, "\(text)") }
        for text in [
            "", "z", "zh_CN", "zh-", "-zh", "zh--CN", "zh-x", "en-a", "zh-CN-x-toolongsubtag", "汉语", "zh CN", "1234", "en-a-b-x-c",
        ] {
            #expect(LanguageTag(text) == nil, "\(text)")
        }
        #expect(LanguageTag(String(repeating: "a-bc-", count: 20) + "x") == nil, "longer than 64 bytes")
    }

    @Test func theFormerFixedNamesAreReadAsTheirTags() {
        #expect(LanguageTag("mandarin") == .mandarin)
        #expect(LanguageTag("cmn") == .mandarin)
        #expect(LanguageTag("Suzhounese")?.rawValue == "wuu-x-suzhou")
        #expect(LanguageTag("shanghainese")?.rawValue == "wuu-x-shanghai")
        #expect(LanguageTag("cantonese")?.rawValue == "yue")
        #expect(LanguageTag("english")?.rawValue == "en")
    }

    @Test func aTagFallsBackToBroaderTagsDroppingAnEmptySingleton() {
        #expect(LanguageTag("zh-x-sichuan")?.fallbacks.map(\.rawValue) == ["zh-x-sichuan", "zh"])
        #expect(LanguageTag("zh-Hant-TW")?.fallbacks.map(\.rawValue) == ["zh-Hant-TW", "zh-Hant", "zh"])
        #expect(LanguageTag("en-a-bbb-x-a")?.fallbacks.map(\.rawValue) == ["en-a-bbb-x-a", "en-a-bbb", "en"])
    }

    @Test func acceptLanguageYieldsTheMostPreferredWellFormedTag() {
        #expect(ReaderLanguage.preferred("zh-CN,zh;q=0.9,en;q=0.8")?.rawValue == "zh-CN")
        #expect(ReaderLanguage.preferred("en;q=0.5, nan;q=0.9, *;q=0.1")?.rawValue == "nan")
        #expect(ReaderLanguage.preferred("zh_CN, en;q=0")?.rawValue == nil)
    }
}
