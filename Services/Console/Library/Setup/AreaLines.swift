import Models

/// The geography typed or pasted into the setup page, one area a line: `code,name[,population]`
/// (a comma or a tab between fields, as a spreadsheet copies them). Every bad line is named,
/// and nothing is sent while one is bad.
struct AreaLines: Sendable, Equatable {
    var areas: [JSONValue]

    struct Problems: Error, Equatable {
        var lines: [String]
    }

    static func parse(_ text: String) throws(Problems) -> AreaLines {
        var areas: [JSONValue] = []
        var problems: [String] = []
        for (index, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: line.contains("\t") ? "\t" : ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count >= 2, AreaCode(fields[0]) != nil, !fields[1].isEmpty else {
                problems.append("\(index + 1): \(line)")
                continue
            }
            var area: [String: JSONValue] = ["code": .string(fields[0]), "name": .string(fields[1])]
            if fields.count > 2, !fields[2].isEmpty {
                guard let population = Int(fields[2]), population >= 0 else {
                    problems.append("\(index + 1): \(line)")
                    continue
                }
                area["population"] = .number(Double(population))
            }
            areas.append(.object(area))
        }
        guard problems.isEmpty else { throw Problems(lines: problems) }
        return AreaLines(areas: areas)
    }
}
