import Foundation
import Models

/// The lines of the receive form as `POST /v1/receipts` takes them. A row left blank is no
/// line; a half-filled row is sent as it is, so the service names what is missing.
enum ReceiptLines {
    static func read(_ form: FormBody, _ page: PageContext) throws -> [JSONValue] {
        var lines: [JSONValue] = []
        for index in 0..<DepotForms.receiptLines {
            let item = form.text("item-\(index)")
            let quantity = form.text("quantity-\(index)")
            let expires = form.text("expires-\(index)")
            guard item != nil || quantity != nil || expires != nil else { continue }
            var line: [String: JSONValue] = [:]
            if let item = StationFormat.uuid(item) { line["itemId"] = .string(item) }
            if let quantity = quantity.flatMap({ Int($0) }) { line["quantity"] = .number(Double(quantity)) }
            if let expires {
                guard let instant = SupplyWords.endOfDay(expires) else {
                    throw BackendRefusal(status: 422, detail: page.t("有效期不是日期。", "The expiry is not a date."))
                }
                line["expiresAt"] = .string(instant)
            }
            lines.append(.object(line))
        }
        guard !lines.isEmpty else {
            throw BackendRefusal(status: 422, detail: page.t("请至少填写一行入库物资。", "Fill in at least one line of what arrived."))
        }
        return lines
    }
}
