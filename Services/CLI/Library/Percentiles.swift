/// Percentiles of measured values, for the benchmarks' tables.
struct Percentiles {
    private let sorted: [Double]

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    var count: Int { sorted.count }
    var maximum: Double { sorted.last ?? 0 }

    /// The value below which a fraction `p` (0…1) of the measurements fall; 0 when empty.
    func at(_ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}
