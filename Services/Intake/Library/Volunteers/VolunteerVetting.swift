import Models

/// Where a volunteer stands with their station.
public enum VolunteerStatus: String, Sendable, Codable, CaseIterable {
    /// Signed up; the station has not checked the health declaration yet.
    case pending
    case verified
    case rejected
    /// Taken off duty (symptoms reported, a yellow code…) until reinstated.
    case suspended
    /// Left for good, at their request or the station's.
    case withdrawn
}

/// What station staff do to a volunteer's record.
public enum VettingAction: String, Sendable, Codable, CaseIterable {
    case verify, reject, suspend, reinstate, withdraw
    case recordTraining = "record-training"
    case recordInsurance = "record-insurance"
}

/// A volunteer's vetting as a value-type state machine: which actions are allowed from
/// which status, and when the volunteer is eligible for duty (verified, trained and
/// insured — the rule of the seeds: checked one by one, trained online, insured).
public struct VolunteerVetting: Sendable, Equatable {
    public var status: VolunteerStatus
    public var trained: Bool
    public var insured: Bool

    public init(status: VolunteerStatus = .pending, trained: Bool = false, insured: Bool = false) {
        self.status = status
        self.trained = trained
        self.insured = insured
    }

    /// Only a verified, trained and insured volunteer may be rostered or dispatched.
    public var isEligible: Bool { status == .verified && trained && insured }

    /// Applies `action`; a reason is required to reject or suspend. Verifying and
    /// reinstating also ask the volunteer's latest `declaration` (``HealthDeclaration/unfitReason``):
    /// nobody with a red or yellow code, symptoms or a fever is put on duty.
    public mutating func apply(_ action: VettingAction, reason: String?, declaration: HealthDeclaration) throws(Refusal) {
        func refuse(_ text: String) -> Refusal { Refusal(text) }
        func requireFit(_ verb: String) throws(Refusal) {
            if let unfit = declaration.unfitReason {
                throw refuse(
                    "the volunteer cannot be \(verb): \(unfit). They declare again when it has passed (POST /v1/volunteers/{id}/health-declarations)"
                )
            }
        }
        switch action {
        case .verify:
            guard status == .pending || status == .rejected else {
                throw refuse("only a pending or rejected declaration can be verified (status is \(status.rawValue))")
            }
            try requireFit("verified")
            status = .verified
        case .reject:
            guard status == .pending else { throw refuse("only a pending declaration can be rejected (status is \(status.rawValue))") }
            guard reason != nil else { throw refuse("a rejection needs a reason the volunteer can act on") }
            status = .rejected
        case .suspend:
            guard status == .verified else { throw refuse("only a verified volunteer can be suspended (status is \(status.rawValue))") }
            guard reason != nil else { throw refuse("a suspension needs a reason") }
            status = .suspended
        case .reinstate:
            guard status == .suspended else { throw refuse("only a suspended volunteer can be reinstated (status is \(status.rawValue))") }
            try requireFit("reinstated")
            status = .verified
        case .withdraw:
            guard status != .withdrawn else { throw refuse("the volunteer has already withdrawn") }
            status = .withdrawn
        case .recordTraining, .recordInsurance:
            guard status != .withdrawn && status != .rejected else {
                throw refuse("training and insurance are recorded for active volunteers only")
            }
            if action == .recordTraining { trained = true } else { insured = true }
        }
    }

    /// What a new health declaration does to the volunteer's standing.
    public enum DeclarationOutcome: Sendable, Equatable {
        /// Nothing changes: a fit volunteer stays on duty, a pending or suspended one waits
        /// for staff.
        case unchanged
        /// A rejected volunteer's new declaration goes back to the vetting queue.
        case awaitingVetting
        /// A volunteer on duty declared themself unfit: off duty at once, for this reason.
        case suspended(reason: String)
    }

    /// Records a new declaration: an unfit one takes a verified volunteer off duty without
    /// waiting for staff, a rejected volunteer is vetted again. Someone who has withdrawn
    /// declares nothing.
    public mutating func declare(_ declaration: HealthDeclaration) throws(Refusal) -> DeclarationOutcome {
        switch status {
        case .withdrawn:
            throw Refusal("the volunteer has withdrawn; a new sign-up starts again")
        case .verified:
            guard let unfit = declaration.unfitReason else { return .unchanged }
            status = .suspended
            return .suspended(reason: "health declaration: \(unfit)")
        case .rejected:
            status = .pending
            return .awaitingVetting
        case .pending, .suspended:
            return .unchanged
        }
    }

    /// The event topic announcing the result of `action`.
    static func topic(for action: VettingAction) -> Topic {
        switch action {
        case .verify: IntakeEvents.volunteerVerified
        case .reject: IntakeEvents.volunteerRejected
        case .suspend: IntakeEvents.volunteerSuspended
        case .reinstate: IntakeEvents.volunteerReinstated
        case .withdraw: IntakeEvents.volunteerWithdrawn
        case .recordTraining, .recordInsurance: IntakeEvents.volunteerUpdated
        }
    }
}
