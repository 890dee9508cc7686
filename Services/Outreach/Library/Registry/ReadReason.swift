import Foundation
import Hummingbird
import ServiceKit

/// Why a record is read (`?reason=`): required, 1–200 characters, for the read log.
struct ReadReason: Sendable {
    var text: String

    init(_ request: Request) throws(ProblemDetails) {
        var validator = FieldValidator()
        let reason = validator.text(request.uri.queryParameters["reason"].map(String.init), "reason", maxLength: 200)
        try validator.check()
        text = reason!
    }
}
