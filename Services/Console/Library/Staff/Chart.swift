import Foundation

/// Small charts drawn on the server as SVG: no script, no library, nothing but attributes (the
/// console's Content-Security-Policy forbids inline styles), readable on a 360-px phone —
/// each bar's label sits above it across the whole width instead of beside it.
enum Chart {
    /// One bar: a count against what was expected (`target`, drawn as a pale track).
    struct Bar: Sendable {
        var label: String
        var value: Double
        var target: Double?
    }

    /// One point of a line, in order along the x axis.
    struct Point: Sendable {
        var label: String
        var value: Double
    }

    private static let width = 360.0
    private static let accent = "#b3261e"
    private static let track = "#e9edf2"
    private static let ink = "#1d2733"
    private static let muted = "#5b6775"

    /// Horizontal bars, one a row, scaled to the largest value or target; a row with a target
    /// says `value / target (percent)`.
    static func bars(_ bars: [Bar], title: String) -> HTML {
        let rowHeight = 36.0
        let height = max(rowHeight, Double(bars.count) * rowHeight + 8)
        let scale = max(bars.map { max($0.value, $0.target ?? 0) }.max() ?? 0, 1)
        let rows = bars.enumerated().map { index, bar -> HTML in
            let top = Double(index) * rowHeight + 4
            let barTop = top + 17
            let valueWidth = (bar.value / scale * width).clamped(0, width)
            let trackBar: HTML =
                bar.target.map { target in
                    "<rect x=\"0\" y=\"\(number(barTop))\" width=\"\(number((target / scale * width).clamped(0, width)))\" height=\"12\" rx=\"2\" fill=\"\(track)\"/>"
                } ?? .empty
            let figure: String =
                if let target = bar.target, target > 0 {
                    "\(number(bar.value)) / \(number(target)) (\(Int((bar.value / target * 100).rounded()))%)"
                } else {
                    number(bar.value)
                }
            return """
                <g><title>\(bar.label): \(figure)</title>\
                <text x="0" y="\(number(top + 12))" font-size="12" fill="\(ink)">\(shortened(bar.label, to: 16))</text>\
                <text x="\(number(width))" y="\(number(top + 12))" font-size="12" fill="\(muted)" text-anchor="end">\(figure)</text>\
                \(trackBar)<rect x="0" y="\(number(barTop))" width="\(number(valueWidth))" height="12" rx="2" fill="\(accent)"/></g>
                """
        }
        return """
            <svg class="chart" viewBox="0 0 \(number(width)) \(number(height))" role="img" aria-label="\(title)" \
            xmlns="http://www.w3.org/2000/svg"><title>\(title)</title>\(rows)</svg>
            """
    }

    /// A line through the points with a dot on each, the first and last labels under the
    /// axis and the largest value beside it.
    static func line(_ points: [Point], title: String) -> HTML {
        let height = 160.0
        let left = 8.0
        let plotWidth = width - 2 * left
        let top = 16.0
        let plotHeight = 110.0
        let scale = max(points.map(\.value).max() ?? 0, 1)
        func x(_ index: Int) -> Double {
            points.count < 2 ? left + plotWidth / 2 : left + Double(index) / Double(points.count - 1) * plotWidth
        }
        func y(_ value: Double) -> Double { top + plotHeight - value / scale * plotHeight }
        let path = points.enumerated().map { "\(number(x($0.offset))),\(number(y($0.element.value)))" }.joined(separator: " ")
        let dots = points.enumerated().map { index, point -> HTML in
            "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(point.value)))\" r=\"3\" fill=\"\(accent)\"><title>\(point.label): \(number(point.value))</title></circle>"
        }
        let axis = top + plotHeight
        let first: HTML =
            points.first.map {
                "<text x=\"\(number(left))\" y=\"\(number(axis + 18))\" font-size=\"12\" fill=\"\(muted)\">\($0.label)</text>"
            } ?? .empty
        let last: HTML =
            points.count > 1
            ? "<text x=\"\(number(width - left))\" y=\"\(number(axis + 18))\" font-size=\"12\" fill=\"\(muted)\" text-anchor=\"end\">\(points[points.count - 1].label)</text>"
            : .empty
        return """
            <svg class="chart" viewBox="0 0 \(number(width)) \(number(height))" role="img" aria-label="\(title)" \
            xmlns="http://www.w3.org/2000/svg"><title>\(title)</title>\
            <line x1="\(number(left))" y1="\(number(axis))" x2="\(number(width - left))" y2="\(number(axis))" stroke="#d8dee6"/>\
            <text x="\(number(left))" y="12" font-size="12" fill="\(muted)">max \(number(scale))</text>\
            <polyline points="\(path)" fill="none" stroke="\(accent)" stroke-width="2"/>\(dots)\(first)\(last)</svg>
            """
    }

    /// A coordinate or count without needless decimals.
    private static func number(_ value: Double) -> String {
        Int(exactly: value.rounded()) == nil ? "0" : value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A label cut to fit its line, with an ellipsis.
    private static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

extension Double {
    fileprivate func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}
