/// The last few ids a person opened (testing rounds, campaigns), kept in the query string
/// (`?recent=a,b,c`) rather than a cookie: the services have no list of them, the console keeps
/// no state of its own beyond sessions, and a link with the list can be bookmarked or shared.
struct RoundsRecent: Sendable {
    static let limit = 5
    private(set) var ids: [String]

    init(_ text: Substring?) {
        ids = Array((text ?? "").split(separator: ",").compactMap { RegistryQuery.uuid(String($0)) }.prefix(Self.limit))
    }

    /// The list with `id` first, once.
    func adding(_ id: String) -> RoundsRecent {
        var copy = self
        copy.ids = Array(([id] + ids.filter { $0 != id }).prefix(Self.limit))
        return copy
    }

    /// The value of the `recent` parameter, `nil` when the list is empty.
    var parameter: String? { ids.isEmpty ? nil : ids.joined(separator: ",") }

    /// `?recent=…` or `""`.
    var query: String { RegistryQuery.string([("recent", parameter)]) }

    /// Links to each id under `base` (`/rounds`), carrying the list along.
    func links(_ base: String) -> HTML {
        let items = ids.map { id -> HTML in "<li><a href=\"\(base)/\(id)\(query)\">\(id)</a></li>" }
        return items.isEmpty ? .empty : "<ul>\(items)</ul>"
    }
}
