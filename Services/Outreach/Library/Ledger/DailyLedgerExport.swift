import Foundation
import Hummingbird
import Tabular

/// The daily ledger as a file for the street office's spreadsheet (台账导出): one row per
/// community and day, headed in Chinese with the JSON field in brackets, the totals last.
/// CSV is UTF-8 with a byte-order mark, so Excel in China opens it as UTF-8, not GBK.
enum DailyLedgerExport {
    static let header: [String] = [
        "日期 (date)", "区域代码 (area)", "社区 (name)", "工单受理 (requestsFiled)", "工单办结 (requestsDone)", "物资配送 (deliveries)",
        "核酸登记 (checkins)", "志愿服务时长 (volunteerHours)", "值班时长 (shiftHours)", "工单服务时长 (taskHours)", "电话关爱 (calls)",
        "上门探访 (visits)", "热线来电 (hotlineCalls)",
    ]

    static func rows(_ ledger: DailyLedger) -> [[Cell]] {
        func counts(_ counts: DailyLedgerCounts) -> [Cell] {
            [
                .number(Double(counts.requestsFiled)), .number(Double(counts.requestsDone)), .number(Double(counts.deliveries)),
                .number(Double(counts.checkins)), .number(counts.volunteerHours), .number(counts.shiftHours), .number(counts.taskHours),
                .number(Double(counts.calls)), .number(Double(counts.visits)), .number(Double(counts.hotlineCalls)),
            ]
        }
        var rows: [[Cell]] = [header.map(Cell.text)]
        for row in ledger.rows {
            rows.append([.text(row.date), .text(row.area), .text(row.name ?? "")] + counts(row.counts))
        }
        let span = ledger.from == ledger.to ? ledger.from : ledger.from + "~" + ledger.to
        rows.append([.text(span), .text(ledger.area), .text("合计 (total)")] + counts(ledger.totals))
        return rows
    }

    /// The response in `format` (CSV or XLSX), named for the area and days it covers.
    static func response(_ ledger: DailyLedger, as format: DailyLedgerRange.Format) -> Response {
        let span = ledger.from == ledger.to ? ledger.from : ledger.from + "_" + ledger.to
        let filename = "ledger-\(ledger.area)-\(span).\(format.rawValue)"
        let (type, body): (String, [UInt8]) =
            format == .xlsx
            ? (ImportTable.Format.xlsxMediaType, XLSXWriter.workbook([Sheet(name: "台账 \(span)", rows: rows(ledger))]))
            : (ImportTable.Format.csvMediaType + "; charset=utf-8", CSVWriter.document(rows(ledger)))
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
