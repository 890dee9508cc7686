import Foundation
import Testing

@testable import Matching

@Suite struct InstanceFormatTests {
    static let example = """
        {
          "rules": { "maxHoursPerDay": 8, "minRestHours": 8 },
          "volunteers": [
            { "id": "v1", "home": "320505-001-001-01", "skills": ["medical"], "team": "t1",
              "availability": [ { "start": "2026-04-10T07:00:00Z", "end": "2026-04-10T19:00:00Z" } ] },
            { "id": "v2", "home": "320505-002-003", "skills": [],
              "availability": [ { "start": "2026-04-10T07:00:00Z", "end": "2026-04-10T11:00:00Z" } ],
              "someFutureField": true }
          ],
          "shifts": [
            { "id": "s1", "postId": "p1", "area": "320505-001-001", "role": "swab-sampling",
              "requiredSkills": ["medical"], "start": "2026-04-10T07:00:00Z", "end": "2026-04-10T11:00:00Z",
              "slots": 2, "anyDistrict": false },
            { "id": "s2", "postId": "p2", "area": "320505-001-002", "role": "registration",
              "start": "2026-04-10T15:00:00Z", "end": "2026-04-10T19:00:00Z", "slots": 1 },
            { "id": "s3", "postId": "p3", "area": "320505-001-002", "role": "guidance",
              "start": "2026-04-11T07:00:00Z", "end": "2026-04-11T11:00:00Z", "slots": 1 }
          ]
        }
        """

    @Test(arguments: [
        (#""minRestHours": 8"#, #""minRestHours": 1e16"#), (#""maxHoursPerDay": 8"#, #""maxHoursPerDay": -1"#),
        (#""slots": 2"#, #""slots": 100000000"#),
    ])
    func absurdRulesAndSlotsAreRefusedWithAMessage(_ replacing: String, _ with: String) {
        let text = Self.example.replacingOccurrences(of: replacing, with: with)
        #expect(text != Self.example)
        #expect(throws: RosterInstanceError.self) { try RosterInstance.decode(from: Data(text.utf8)) }
    }

    @Test func exampleDecodesAndSolves() throws {
        let instance = try RosterInstance.decode(from: Data(Self.example.utf8))
        #expect(instance.volunteers.count == 2)
        #expect(instance.shifts[1].anyDistrict == false)
        #expect(instance.shifts[1].requiredSkills.isEmpty)
        let solution = try RosterSolver().solve(instance)
        #expect(IndependentChecker.violations(instance, solution).isEmpty)
        // v1 takes s1 (cost 0); s2 is 4 h after s1 ends, less than 8 h rest.
        #expect(solution.assignments == [RosterAssignment(shiftId: "s1", volunteerId: "v1", cost: 0)])
        #expect(solution.objective == 300)
        #expect(solution.provenOptimal)
        let reasons = Dictionary(uniqueKeysWithValues: solution.unfilled.map { ($0.shiftId, $0) })
        #expect(reasons["s1"]?.cause == .missingSkill || reasons["s1"]?.cause == .allAtLimit)
        #expect(reasons["s2"]?.cause == .allAtLimit)
        #expect(reasons["s3"]?.cause == .noAvailability)
        #expect(reasons["s3"]?.reason.contains("no volunteer available in district 320505") == true)
    }

    @Test func missingRulesUseDefaults() throws {
        let json = #"{"volunteers": [], "shifts": []}"#
        let instance = try RosterInstance.decode(from: Data(json.utf8))
        #expect(instance.rules == RosterRules(maxHoursPerDay: 8, minRestHours: 8))
        let solution = try RosterSolver().solve(instance)
        #expect(solution.objective == 0 && solution.gap == 0)
    }

    @Test func shiftEndingBeforeItStartsIsRejected() {
        let json = """
            {"volunteers": [], "shifts": [{"id": "bad", "area": "320505-001-001", "start": "2026-04-10T11:00:00Z",
              "end": "2026-04-10T07:00:00Z", "slots": 1}]}
            """
        #expect(throws: RosterInstanceError.self) { try RosterInstance.decode(from: Data(json.utf8)) }
        do {
            _ = try RosterInstance.decode(from: Data(json.utf8))
        } catch {
            #expect("\(error)".contains("shift 'bad' ends"))
        }
    }

    @Test func badTimestampNamesTheField() {
        let json = """
            {"volunteers": [], "shifts": [{"id": "s", "area": "320505-001-001", "start": "tomorrow",
              "end": "2026-04-10T07:00:00Z", "slots": 1}]}
            """
        do {
            _ = try RosterInstance.decode(from: Data(json.utf8))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("shifts[0].start"))
        }
    }

    @Test func duplicateIDsAreRejected() {
        let window = AvailabilityWindow(start: SmallInstances.origin, end: SmallInstances.origin.addingTimeInterval(3600))
        let volunteer = Volunteer(id: "v", home: "320505-001-001", availability: [window])
        let instance = RosterInstance(volunteers: [volunteer, volunteer], shifts: [])
        #expect(throws: RosterInstanceError.duplicateVolunteerID("v")) { try RosterSolver().solve(instance) }
    }

    @Test func areaLevelsAreDashPrefixes() {
        let code = RosterArea("320505-001-001-01")
        #expect(code.district == "320505")
        #expect(code.street == "320505-001")
        #expect(code.community == "320505-001-001")
        #expect(RosterArea("320505").street == nil)
        #expect(PlacementCost.cost(home: code, shiftArea: RosterArea("320505-001-002"), anyDistrict: false) == 3)
        #expect(PlacementCost.cost(home: code, shiftArea: RosterArea("320506-001-001"), anyDistrict: false) == nil)
        #expect(PlacementCost.cost(home: code, shiftArea: RosterArea("320506-001-001"), anyDistrict: true) == 30)
    }

    @Test func missingSkillIsExplained() throws {
        let window = AvailabilityWindow(start: SmallInstances.origin, end: SmallInstances.origin.addingTimeInterval(86_400))
        let instance = RosterInstance(
            volunteers: [Volunteer(id: "v", home: "320505-001-001", availability: [window])],
            shifts: [
                Shift(
                    id: "s", postId: "p", area: "320505-001-001", role: "r", requiredSkills: ["medical"],
                    start: SmallInstances.origin.addingTimeInterval(7 * 3600),
                    end: SmallInstances.origin.addingTimeInterval(11 * 3600), slots: 1)
            ]
        )
        let solution = try RosterSolver().solve(instance)
        #expect(solution.unfilled.first?.reason == "no eligible volunteer in district 320505 has skill medical")
    }
}
