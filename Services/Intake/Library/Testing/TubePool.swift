import Foundation

/// One tube of pooled sampling (十混一, 二十混一): up to the round's pool size of distinct
/// residents share it, all of the same round, site and sample group (the tube's first
/// check-in sets them).
///
/// The store locks the tube's row, reads who is in it, then asks ``admit(_:)`` for each
/// check-in of a batch in the order sent; the rule itself needs no database.
struct TubePool: Sendable, Equatable {
    var round: UUID
    var site: UUID
    var sampleGroup: String?
    /// The round's pool size: 1, 10 or 20.
    var size: Int
    /// The residents whose swabs are in the tube (stored, or admitted earlier in the batch).
    var residents: Set<String>
    /// The tube's result, once the lab has given it: the tube is closed, and a swab added now
    /// would join a retest list (or a negative count) it was never tested for.
    var result: String? = nil

    /// What becomes of one check-in on this tube.
    enum Decision: Sendable, Equatable {
        /// A new resident in a tube with room: record it.
        case add
        /// This resident's swab is in the tube already: a resend, nothing to do.
        case alreadyInTube
        /// Not recorded, for this reason; the sampler takes a new tube.
        case refused(String)
    }

    /// Decides for `checkin` and, when it is added, counts its resident in.
    mutating func admit(_ checkin: Checkin) -> Decision {
        if checkin.round != round { return .refused("tube barcode already used for another sample: the tube belongs to another round") }
        if checkin.site != site { return .refused("tube barcode already used for another sample: the tube belongs to another site") }
        if residents.contains(checkin.residentCode) { return .alreadyInTube }
        if let result { return .refused("the tube was tested already (\(result)); take a new tube") }
        if checkin.sampleGroup != sampleGroup {
            let group = sampleGroup.map { "sample group \($0)" } ?? "no sample group"
            return .refused("the tube belongs to \(group); scan that group's residents into it, or take a new tube")
        }
        guard residents.count < size else {
            let full =
                size == 1
                ? "the tube already holds another resident's sample (this round samples one resident a tube)"
                : "the tube is full: it holds \(size) residents, the round's pool size"
            return .refused(full + "; take a new tube")
        }
        residents.insert(checkin.residentCode)
        return .add
    }
}
