import Foundation
import Models

/// The catalogue and the depots as the pages need them: names by id (the ledger and the
/// runs give ids only) and the `<option>`s of the item pickers.
struct SupplyCatalogue: Sendable {
    var items: [JSONValue]
    var depots: [JSONValue]

    /// The item's name with its unit, e.g. `KN95口罩 (只)`; the short id when unknown.
    func itemName(_ id: String?) -> String {
        guard let id else { return "—" }
        guard let item = items.first(where: { $0["id"]?.stringValue == id }) else { return String(id.prefix(8)) }
        let name = item["name"]?.stringValue ?? String(id.prefix(8))
        return item["unit"]?.stringValue.map { "\(name) (\($0))" } ?? name
    }

    func depot(_ id: String?) -> JSONValue? {
        depots.first { $0["id"]?.stringValue == id }
    }

    func depotName(_ id: String?) -> String {
        depot(id)?["name"]?.stringValue ?? String((id ?? "—").prefix(8))
    }

    /// Every catalogue item as an option, grouped by category; `selected` preselected.
    func itemOptions(selected: String? = nil, _ page: PageContext) -> HTML {
        let groups = Dictionary(grouping: items) { $0["category"]?.stringValue ?? "other" }
        return groups.keys.sorted().map { category -> HTML in
            let options = (groups[category] ?? []).map { item -> HTML in
                let id = item["id"]?.stringValue ?? ""
                let chosen: HTML = id == selected ? " selected" : .empty
                return "<option value=\"\(id)\"\(chosen)>\(itemName(id))</option>"
            }
            return "<optgroup label=\"\(SupplyWords.category(category, page))\">\(options)</optgroup>"
        }.joined
    }
}
