import Synchronization

/// How many live streams are open, per viewer and in all: each open page holds a connection
/// for as long as it stays open, so one account (or one stolen volunteer link) must not be
/// able to open thousands and starve everyone else.
final class LiveSlots: Sendable {
    let perViewer: Int
    let total: Int
    private let open = Mutex<(byViewer: [String: Int], all: Int)>(([:], 0))

    init(perViewer: Int = 6, total: Int = 300) {
        self.perViewer = perViewer
        self.total = total
    }

    /// Takes a slot for `viewer`; `false` when they, or the console, have none left.
    func take(for viewer: String) -> Bool {
        open.withLock { open in
            guard open.all < total, open.byViewer[viewer, default: 0] < perViewer else { return false }
            open.byViewer[viewer, default: 0] += 1
            open.all += 1
            return true
        }
    }

    func give(for viewer: String) {
        open.withLock { open in
            let left = open.byViewer[viewer, default: 1] - 1
            open.byViewer[viewer] = left > 0 ? left : nil
            open.all -= 1
        }
    }

    var count: Int { open.withLock { $0.all } }
}
