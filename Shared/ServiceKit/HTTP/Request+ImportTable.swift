import Hummingbird
import Models
import Tabular

extension Request {
    /// The file of a bulk import (`…:import`), read as a table with `columns`: 415 for a
    /// media type other than CSV or XLSX, 413 beyond `maximumBytes`, 422 on `file` when it
    /// cannot be read as a table of these columns. Also returns the bytes, for the
    /// idempotency key's fingerprint.
    ///
    /// The limits are larger than a JSON body's 4 MiB: 5,000 rows saved by a tool that does
    /// not compress.
    public func importTable(
        context: some RequestContext, columns: [ImportTable.Column], maximumRecords: Int = 5_000, maximumBytes: Int = 16 << 20
    ) async throws -> (table: ImportTable, bytes: [UInt8]) {
        guard let format = headers[.contentType].flatMap(ImportTable.Format.init(contentType:)) else {
            throw ProblemDetails(
                status: .unsupportedMediaType,
                detail: "Send the file as \(ImportTable.Format.csvMediaType) or \(ImportTable.Format.xlsxMediaType).")
        }
        let bytes = try await bodyBytes(context: context, maximumBytes: maximumBytes)
        do {
            return (try ImportTable(bytes, format: format, columns: columns, maximumRecords: maximumRecords), bytes)
        } catch {
            throw ProblemDetails.validation([.init(field: "file", message: error.description)])
        }
    }
}

extension ImportTable {
    /// The records of an import, read by `read` and sorted before anything is written: a row
    /// that is not a valid record is answered `invalid` with its field errors, a record whose
    /// `area` `access` does not cover `outOfArea` ("`noun` `code` is outside your area"); the
    /// others are returned, with their row, for the store to write.
    public func sorted<Value>(
        _ read: (Record) -> Result<Value, InvalidFields>, for access: AccessToken, area: (Value) -> AreaCode, noun: String
    ) -> (answered: [ImportAnswer.Result], valid: [(row: Int, value: Value)]) {
        var answered: [ImportAnswer.Result] = []
        var valid: [(row: Int, value: Value)] = []
        for record in records {
            switch read(record) {
            case .failure(let invalid): answered.append(.init(row: record.row, invalid: invalid))
            case .success(let value) where !access.covers(area(value)):
                answered.append(.init(row: record.row, status: .outOfArea, reason: "\(noun) \(area(value).rawValue) is outside your area"))
            case .success(let value): valid.append((record.row, value))
            }
        }
        return (answered, valid)
    }
}

extension ImportTable.Record {
    /// Every field error of a row whose form refused it (`problem`): the row's own (`own`),
    /// then the form's, named by column — a field of `group` (`health/temperature`) by its
    /// own name — except on a column the row already reported. A birth year left blank is
    /// read from the ID number: when that is wrong, its error says it all.
    public func invalidFields(_ own: [InvalidFields.Field], form problem: ProblemDetails, group: String? = nil) -> InvalidFields {
        let formErrors = problem.errors ?? []
        var named = Set(own.map(\.field))
        if values["birthYear"] == nil, formErrors.contains(where: { $0.field == "idNumber" }) { named.insert("birthYear") }
        let prefix = group.map { $0 + "/" }
        let columns = formErrors.map { error in
            let column = prefix.flatMap { error.field.hasPrefix($0) ? String(error.field.dropFirst($0.count)) : nil } ?? error.field
            return InvalidFields.Field(field: column, message: error.message)
        }
        return InvalidFields(own + columns.filter { !named.contains($0.field) })
    }
}

extension ImportAnswer.Result {
    /// A row answered `invalid`, with each of its field errors.
    public init(row: Int, invalid: InvalidFields) {
        self.init(row: row, status: .invalid, errors: invalid.fields.map { .init(field: $0.field, message: $0.message) })
    }
}
