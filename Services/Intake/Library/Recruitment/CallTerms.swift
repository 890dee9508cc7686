import Foundation
import Models

/// When a recruitment call takes a sign-up: before its deadline, while not closed, and — when
/// the call enforces its headcount — while places are left. The page's `open` and the sign-up
/// both ask ``refusal(placesTaken:now:)``.
struct CallTerms: Sendable, Equatable {
    var headcount: Int
    var enforceHeadcount: Bool
    var deadline: Date
    var closedAt: Date?

    /// Why the call takes no sign-up now, or `nil` when it does.
    func refusal(placesTaken: Int, now: Date = Date()) -> Refusal? {
        if let closedAt {
            return Refusal("This recruitment call was closed at \(Timestamp.format(closedAt)).", title: "Call closed")
        }
        if deadline <= now { return Refusal("This recruitment call closed at \(Timestamp.format(deadline)).", title: "Call closed") }
        if enforceHeadcount && placesTaken >= headcount {
            return Refusal(
                "This recruitment call has the \(headcount) volunteers it asked for; please answer another call.", title: "Call full")
        }
        return nil
    }
}
