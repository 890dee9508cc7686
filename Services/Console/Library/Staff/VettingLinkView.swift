import Foundation
import Models

/// The page that shows a volunteer's new personal link once: as text to copy into a chat and
/// as a QR code to scan at the desk, with the warning that the link is the volunteer's key.
enum VettingLinkView {
    static func issued(volunteer id: String, link: String, expiresAt: JSONValue?, _ page: PageContext) -> HTML {
        """
        <p class="error" role="alert" id="link-warning">\(page.t(
            "任何拿到此链接的人都可以以该志愿者的身份操作（确认排班、接单、查看居民地址和药品）。只发给志愿者本人，不要发到群里；本页关闭后不再显示，丢失请撤销后重新生成。",
            "Whoever has this link acts as the volunteer (confirms shifts, takes offers, reads residents' addresses and medicines). Give it to the volunteer alone, never to a group; it is not shown again once this page is closed — if it is lost, revoke it and issue another."))</p>
        <section class="card">
        <div class="link-box" id="personal-link">\(link)</div>
        <p class="muted">\(page.t("有效期至（北京时间）", "Valid until (Beijing time)")) \(StationFormat.time(expiresAt))</p>
        <div class="qr" data-qr="\(link)"></div>
        <p class="hint">\(page.t("请志愿者用手机扫码或打开链接。", "Ask the volunteer to scan the code or open the link on their phone."))</p>
        </section>
        <p>\(VettingViews.revokeForm(id, page)) <a href="/vetting/\(id)" id="back-to-volunteer">\(page.t("返回志愿者记录", "Back to the volunteer"))</a></p>
        <script src="/static/qrcode.js" defer></script><script src="/static/console.js" defer></script>
        """
    }
}
