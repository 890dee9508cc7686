import Hummingbird
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
