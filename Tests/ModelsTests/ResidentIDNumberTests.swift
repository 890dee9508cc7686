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
