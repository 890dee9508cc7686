import Models

/// Scope checks: a caller acts only within their area.
public enum Scope {
    /// Throws 403 when `area` is outside the caller's scope (for writes, where the caller
    /// names the area themselves).
    public static func require(_ access: AccessToken, covers area: AreaCode) throws(ProblemDetails) {
        guard access.covers(area) else {
            throw ProblemDetails(
                status: .forbidden, detail: "Area \(area.rawValue) is outside your scope (\(access.area?.rawValue ?? "city")).")
        }
    }

    /// Throws 404 when a record's area is outside the caller's scope: for reads, whether a
    /// record exists elsewhere is itself not theirs to know.
    public static func requireVisible(_ access: AccessToken, _ area: AreaCode, what: String) throws(ProblemDetails) {
        guard access.covers(area) else { throw ProblemDetails(status: .notFound, detail: "No such \(what).") }
    }
}
