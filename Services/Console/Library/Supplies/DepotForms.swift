import Foundation
import Models

/// The two forms on a depot's page: receiving a delivery of donations (a few lines of
/// item, quantity and expiry) and reserving stock for a work order.
enum DepotForms {
    /// Lines a receipt form offers; a delivery with more is received in two goes.
    static let receiptLines = 5

    static func receive(depot: String, _ catalogue: SupplyCatalogue, _ page: PageContext) -> HTML {
        let lines = (0..<receiptLines).map { index -> HTML in
            """
            <fieldset id="receipt-line-\(index)"><legend>\(page.t("第", "Line "))\(index + 1)\(page.t("行", ""))</legend>\
            <label>\(page.t("物资", "Item"))<select name="item-\(index)"><option value="">—</option>\(catalogue.itemOptions(page))</select></label>\
            <label>\(page.t("数量", "Quantity"))<input name="quantity-\(index)" type="number" min="1" max="10000000" inputmode="numeric"></label>\
            <label>\(page.t("有效期至（可不填）", "Expires on (if it does)"))<input name="expires-\(index)" type="date"></label></fieldset>
            """
        }
        return """
            <section class="card" id="receive"><h2>\(page.t("接收捐赠入库", "Receive a delivery"))</h2>
            <p class="hint">\(page.t("每行入库为一个批次；蔬菜、药品请填有效期，过期物资不入库。", "Each line becomes a lot; give the expiry of vegetables and medicines — expired stock is not received."))</p>
            <form method="post" action="/supplies/depots/\(depot)/receipts" id="receive-form">\(page.csrfField)\(lines)\
            <button id="receive-submit">\(page.t("确认入库", "Receive"))</button></form></section>
            """
    }

    /// Reserving for a work order: the items with stock available here; the work order's id
    /// prefilled when the page was opened from a request (`?request=`).
    static func reserve(depot: String, lots: [JSONValue], request: String?, _ catalogue: SupplyCatalogue, _ page: PageContext) -> HTML {
        var available: [String: Int] = [:]
        for lot in lots {
            guard let item = lot["itemId"]?.stringValue else { continue }
            available[item, default: 0] += lot["available"]?.intValue ?? 0
        }
        let options = available.filter { $0.value > 0 }.sorted { catalogue.itemName($0.key) < catalogue.itemName($1.key) }.map {
            item, count -> HTML in
            "<option value=\"\(item)\">\(catalogue.itemName(item)) · \(page.t("可用", "available")) \(count)</option>"
        }
        guard !options.isEmpty else {
            return "<p class=\"muted\" id=\"reserve-none\">\(page.t("没有可预留的库存。", "Nothing available to reserve."))</p>"
        }
        return """
            <section class="card" id="reserve"><h2>\(page.t("为工单预留物资", "Reserve for a work order"))</h2>
            <form method="post" action="/supplies/depots/\(depot)/reservations" id="reserve-form">\(page.csrfField)\
            <label>\(page.t("工单编号（求助编号）", "Work order (request id)"))<input name="requestId" required value="\(request)"></label>\
            <label>\(page.t("物资", "Item"))<select name="itemId" required>\(options)</select></label>\
            <label>\(page.t("数量", "Quantity"))<input name="quantity" type="number" min="1" max="100000" required inputmode="numeric"></label>\
            <button id="reserve-submit">\(page.t("预留", "Reserve"))</button></form></section>
            """
    }
}
