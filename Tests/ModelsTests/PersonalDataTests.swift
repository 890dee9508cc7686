import Models
import Testing

@Suite struct ResidentIDNumberTests {
    /// Body 32050519680512123 → weighted sum 242, 242 mod 11 = 0 → check character "1".
    @Test func aValidNumberIsAcceptedAndMasked() throws {
        let number = try #require(ResidentIDNumber("320505196805121231"))
        #expect(number.birthYear == 1968)
        #expect(number.masked == "320505********1231")
        #expect("\(number)" == number.masked)
    }

    @Test func theCheckCharacterIsVerified() {
        #expect(ResidentIDNumber.validate("320505196805121232") == .failure(.checkDigit(expected: "1")))
    }

    @Test func aLowerCaseXIsAccepted() throws {
        // Body 11010519491231002 → check character X.
        #expect(ResidentIDNumber("11010519491231002x")?.value == "11010519491231002X")
    }

    @Test(arguments: [("1234", ResidentIDNumber.Problem.length), ("32050519680512123A", .characters), ("320505196813121231", .birthDate)])
    func malformedNumbersSayWhy(_ text: String, _ problem: ResidentIDNumber.Problem) {
        #expect(ResidentIDNumber.validate(text) == .failure(problem))
    }
}

@Suite struct MobileNumberTests {
    @Test(arguments: ["13812345678", "+86 138 1234 5678", "86-138-1234-5678", "19900001111"])
    func mainlandNumbersAreAccepted(_ text: String) {
        #expect(MobileNumber(text) != nil)
    }

    @Test(arguments: ["12812345678", "1381234567", "138123456789", "23812345678", "phone"])
    func otherTextIsRefused(_ text: String) {
        #expect(MobileNumber(text) == nil)
    }

    @Test func listsShowOnlyThePrefixAndTheLastFour() {
        #expect(MobileNumber("13812345678")?.masked == "138****5678")
        #expect(MobileNumber("13812345678").map { "\($0)" } == "138****5678")
    }
}

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
