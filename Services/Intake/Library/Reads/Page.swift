/// One page of a list, read with a keyset cursor so deep pages cost what the first does.
struct Page<Item: Codable>: Codable {
    var items: [Item]
    /// Pass as `after` for the next page; absent on the last page.
    var next: Int64?

    init(items: [Item], limit: Int, cursor: KeyPath<Item, Int64>) {
        self.items = items
        next = items.count == limit ? items.last?[keyPath: cursor] : nil
    }
}
