import Foundation
import Models

/// The markup of a call for donations: its progress, and the form that publishes one.
enum DriveViews {
    /// Target, pledged and received, as numbers and bars; never who gave (the service
    /// does not say).
    static func progress(_ drive: JSONValue, _ page: PageContext) -> HTML {
        let target = max(drive["target"]?.intValue ?? 0, 0)
        let unit = drive["unit"]?.stringValue ?? ""
        func bar(_ id: String, _ label: String, _ value: Int) -> HTML {
            let percent = target > 0 ? min(100, value * 100 / target) : 0
            return """
                <div class="number" id="drive-\(id)">\(label)<b>\(value) \(unit)</b>\
                <progress max="\(max(target, 1))" value="\(min(value, max(target, 1)))">\(percent)%</progress> \(percent)%</div>
                """
        }
        let pledged = drive["pledged"]?.intValue ?? 0
        let received = drive["received"]?.intValue ?? 0
        let deadline = drive["deadline"]?.stringValue.flatMap(Timestamp.parse)
        let closed: HTML =
            deadline.map { $0 < Date() } ?? false
            ? "<p class=\"late\" id=\"drive-closed\">\(page.t("已过截止时间", "Past its deadline"))</p>" : .empty
        return """
            <p class="muted">\(drive["item"]?.stringValue) · \(drive["area"]?.stringValue) · \(page.t("截止", "until")) \(StationFormat.time(drive["deadline"]))</p>
            \(closed)
            <div class="numbers" id="drive-progress">
            <div class="number" id="drive-target">\(page.t("目标", "Target"))<b>\(target) \(unit)</b></div>
            \(bar("pledged", page.t("已认捐", "Pledged"), pledged))
            \(bar("received", page.t("已到货", "Received"), received))
            </div>
            <p class="hint">\(page.t("倡议编号", "Id of this call")) <span class="link-box" id="drive-id">\(drive["id"]?.stringValue)</span></p>
            <p><a href="/supplies">\(page.t("返回物资", "Back to supplies"))</a></p>
            """
    }

    /// Publishing a call: the item, how many, by when, for which area (the viewer's own by default).
    static func form(_ catalogue: SupplyCatalogue, area: String?, _ page: PageContext) -> HTML {
        """
        <form method="post" action="/supplies/drives" class="card" id="drive-form">\(page.csrfField)\
        <label>\(page.t("标题", "Title"))<input name="title" maxlength="200" required></label>\
        <label>\(page.t("区域代码", "Area code"))<input name="area" required value="\(area)" pattern="[0-9]{6}(-[0-9]{3}(-[0-9]{3}(-[0-9]{2})?)?)?"></label>\
        <label>\(page.t("物资", "Item"))<select name="itemId" required>\(catalogue.itemOptions(page))</select></label>\
        <label>\(page.t("目标数量", "Target quantity"))<input name="target" type="number" min="1" max="10000000" required inputmode="numeric"></label>\
        <label>\(page.t("截止日期", "Deadline"))<input name="deadline" type="date" required></label>\
        <button id="drive-submit">\(page.t("发布", "Publish"))</button></form>
        <p><a href="/supplies">\(page.t("返回物资", "Back to supplies"))</a></p>
        """
    }
}
