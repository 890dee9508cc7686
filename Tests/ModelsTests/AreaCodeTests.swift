import Models
import Testing

@Suite struct AreaCodeTests {
    @Test func levelsParentsAndContainment() throws {
        let compound = try #require(AreaCode("320505-004-012-03"))
        #expect(compound.level == .compound)
        #expect(compound.parent?.rawValue == "320505-004-012")
        #expect(compound.street?.rawValue == "320505-004")
        #expect(compound.district.rawValue == "320505")
        #expect(AreaCode("320505-004")!.contains(compound))
        #expect(AreaCode("320505-00") == nil)
        #expect(!AreaCode("320505-005")!.contains(compound))
        #expect(!AreaCode("320505-004-011")!.contains(compound))
    }

    @Test(arguments: ["32050", "320505-4", "320505-004-012-003", "320505-004-012-03-01", "32050a", ""])
    func malformedCodesAreRefused(_ text: String) {
        #expect(AreaCode(text) == nil)
    }
}
