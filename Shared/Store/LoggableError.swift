import PostgresNIO

/// A description of an error that is safe to log.
///
/// PostgresNIO's debug description carries the query and the server's `detail` field,
/// which for a constraint violation quotes the offending values — an ID number, a phone
/// number. Logs keep the SQLSTATE, the server's message and the constraint instead.
public enum LoggableError {
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            var parts = ["PSQLError \(error.code)"]
            if let state = error.serverInfo?[.sqlState] { parts.append("sqlState=\(state)") }
            if let message = error.serverInfo?[.message] { parts.append("message=\(message)") }
            if let constraint = error.serverInfo?[.constraintName] { parts.append("constraint=\(constraint)") }
            return parts.joined(separator: " ")
        }
        if let error = error as? PostgresTransactionError {
            return "transaction failed: "
                + [error.beginError, error.closureError, error.rollbackError, error.commitError]
                .compactMap { $0.map(describe) }.joined(separator: "; ")
        }
        return "\(error)"
    }
}
