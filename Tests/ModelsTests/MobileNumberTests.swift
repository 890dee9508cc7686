import Models
import Testing

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
