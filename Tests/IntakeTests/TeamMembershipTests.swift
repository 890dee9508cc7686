import Foundation
import HummingbirdTesting
import Models
import ServiceKit
import TestSupport
import Testing

@testable import Intake

@Suite struct TeamMembershipTests {
    let red = UUID(), blue = UUID()

    @Test func joiningAnotherTeamLeavesTheFirstAndItsLeadership() throws {
        var membership = TeamMembership(team: red, leads: true, status: .verified)
        let changes = try membership.join(blue)
        #expect(changes == [.left(red, wasLeader: true), .joined(blue)])
        #expect(membership == TeamMembership(team: blue, leads: false, status: .verified))
        #expect(try membership.join(blue).isEmpty)
    }

    @Test func onlyAVerifiedMemberLeads() throws {
        var outsider = TeamMembership(team: nil, leads: false, status: .verified)
        #expect(throws: Refusal.self) { try outsider.lead(red) }
        var pending = TeamMembership(team: red, leads: false, status: .pending)
        #expect(throws: Refusal.self) { try pending.lead(red) }
        var member = TeamMembership(team: red, leads: false, status: .verified)
        #expect(try member.lead(red) == [.leaderAppointed(red)])
        #expect(try member.lead(red).isEmpty)
        #expect(try member.leave(red) == [.left(red, wasLeader: true)])
        #expect(member.team == nil && !member.leads)
    }

    @Test func leavingATeamOneIsNotInAndWithdrawnJoiningAreRefused() {
        var member = TeamMembership(team: red, leads: false, status: .verified)
        #expect(throws: Refusal.self) { try member.leave(blue) }
        var withdrawn = TeamMembership(team: nil, leads: false, status: .withdrawn)
        #expect(throws: Refusal.self) { try withdrawn.join(red) }
        #expect(withdrawn.team == nil)
    }
}
