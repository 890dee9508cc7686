/// Check-ins per minute as small bars, one row a street: drawn by the server as SVG, so the
/// operations room needs no charting library.
enum CheckinChart {
    static func render(_ series: [(street: String, perMinute: [Int])], _ page: PageContext) -> HTML {
        guard !series.isEmpty else {
            return "<p class=\"muted\">\(page.t("本页打开后尚无采样登记。", "No check-ins since this console started."))</p>"
        }
        let peak = max(1, series.flatMap(\.perMinute).max() ?? 1)
        let rowHeight = 34
        let width = 600
        let labelWidth = 130
        let barWidth = (width - labelWidth - 60) / max(1, series.first?.perMinute.count ?? 1)
        let rows = series.enumerated().map { index, line -> HTML in
            let y = index * rowHeight
            let bars = line.perMinute.enumerated().map { minute, count -> HTML in
                let height = Int((Double(count) / Double(peak) * Double(rowHeight - 8)).rounded(.up))
                return
                    "<rect x=\"\(labelWidth + minute * barWidth)\" y=\"\(y + rowHeight - 4 - height)\" width=\"\(max(1, barWidth - 2))\" height=\"\(height)\" fill=\"#b3261e\"><title>\(count)</title></rect>"
            }
            return """
                <text x="0" y="\(y + rowHeight - 10)" font-size="13" fill="#1d2733">\(line.street)</text>\(bars)\
                <text x="\(width - 55)" y="\(y + rowHeight - 10)" font-size="13" fill="#1d2733">\(line.perMinute.last ?? 0)/\(page.t("分", "min"))</text>
                """
        }
        return """
            <svg class="chart" viewBox="0 0 \(width) \(series.count * rowHeight + 4)" role="img" aria-label="\(page.t("各街道每分钟采样登记", "Check-ins per minute by street"))">\(rows)</svg>
            """
    }
}
