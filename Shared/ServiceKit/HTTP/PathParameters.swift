import Foundation
import Hummingbird

extension RequestContext {
    /// The UUID in path parameter `name`, or a 404 "No such `what`." — a path that does not
    /// hold an id names nothing, exactly as an id that does not exist.
    public func requireUUID(_ name: String = "id", what: String) throws(ProblemDetails) -> UUID {
        guard let value = parameters.get(name), let id = UUID(uuidString: value) else {
            throw ProblemDetails(status: .notFound, detail: "No such \(what).")
        }
        return id
    }
}
