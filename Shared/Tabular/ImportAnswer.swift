/// What an import answers: counts, then one result per data row in the order of the file, so
/// a station knows exactly which rows to correct and send again (re-sending the whole file is
/// safe: rows already imported come back `unchanged`).
public struct ImportAnswer: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Imported now.
        case created
        /// Already registered under this ID number (earlier, or in an earlier row of this
        /// file): nothing written, no event.
        case unchanged
        /// A field is wrong; `errors` says which and why.
        case invalid
        /// The row, or the registration its ID number already has, is outside the
        /// uploader's area.
        case outOfArea
        /// A rule of the domain refuses it now (a recruitment call that is full or closed).
        case refused
    }

    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// The row's number in the sheet (the header row is 1).
        public var row: Int
        public var status: Status
        /// The record created, or the one already registered when it is the uploader's to see.
        public var id: String?
        public var reason: String?
        public var errors: [FieldError]?

        public init(row: Int, status: Status, id: String? = nil, reason: String? = nil, errors: [FieldError]? = nil) {
            self.row = row
            self.status = status
            self.id = id
            self.reason = reason
            self.errors = errors
        }
    }

    public var created: Int
    public var unchanged: Int
    public var invalid: Int
    public var outOfArea: Int
    public var refused: Int
    public var results: [Result]

    /// Counts `results`, ordered by row.
    public init(_ results: [Result]) {
        self.results = results.sorted { $0.row < $1.row }
        created = results.count { $0.status == .created }
        unchanged = results.count { $0.status == .unchanged }
        invalid = results.count { $0.status == .invalid }
        outOfArea = results.count { $0.status == .outOfArea }
        refused = results.count { $0.status == .refused }
    }
}
