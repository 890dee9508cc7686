/// One page of a list, read with a keyset cursor so deep pages cost what the first does.
public struct Page<Item: Codable>: Codable {
    public var items: [Item]
    /// Pass as `after` for the next page; absent on the last page.
    public var next: Int64?

    public init(items: [Item], limit: Int, cursor: KeyPath<Item, Int64>) {
        self.items = items
        next = items.count == limit ? items.last?[keyPath: cursor] : nil
    }
}
