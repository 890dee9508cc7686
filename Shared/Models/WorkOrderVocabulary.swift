/// The words every service uses for a resident's request (工单): what is needed, how
/// urgently, and the control status of the compound it is for. Intake files requests,
/// outreach finds needs, matching and supplies serve them — all in these terms.

/// What a resident needs (工单 categories of the seeds).
public enum WorkOrderCategory: String, Sendable, Codable, CaseIterable {
    case groceries, medicine
    case garbagePickup = "garbage-pickup"
    case medicalEscort = "medical-escort"
    case haircut, cleaning
    case psychologicalSupport = "psychological-support"
    case other
}

/// How soon: urgent and critical requests are served first.
public enum Urgency: String, Sendable, Codable, CaseIterable {
    case normal, urgent, critical
}

/// The compound's control status: sealed 封控, controlled 管控, precaution 防范.
public enum ZoneStatus: String, Sendable, Codable, CaseIterable {
    case sealed, controlled, precaution
}
