import Dispatch
import FeedCore
import FeedSpool
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The spool's alerts as the reader page lists them, kept in memory between requests so that a list of
/// 100,000 alerts answers in milliseconds. Alert files never change once written; only their number
/// and their directory do (a new alert, an acknowledgement by `alerts ack` or by the page, retention).
/// So each request looks at the modification times of `new/` and `cur/` and reads again only the
/// names it has not seen. The spool stays the truth: the page and `feedwatch alerts` always agree.
///
/// File work runs on the index's own serial queue, off the cooperative pool, one refresh at a time.
public final class AlertIndex: Sendable {
    /// The index at one moment: newest first.
    public struct Snapshot: Sendable {
        public var alerts: [IndexedAlert]
        /// Every topic and feed URL that appears, sorted, for the filters.
        public var topics: [String]
        public var feeds: [String]
        /// Each feed's title in its newest alert.
        public var feedTitles: [String: String]
        /// Position in `alerts` by alert id.
        var byID: [String: Int]

        public func alert(id: String) -> IndexedAlert? { byID[id].map { alerts[$0] } }
    }

    private struct State {
        var root = ""
        var byName: [String: IndexedAlert] = [:]
        var stamps: [timespec] = []
        /// The directories changed less than a clock tick before they were read: a second change in the
        /// same tick would leave their times as they were, so the next request reads them again.
        var unsettled = true
        var snapshot = Snapshot(alerts: [], topics: [], feeds: [], feedTitles: [:], byID: [:])
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "feedwatch.reader.index")

    public init() {}

    /// The alerts of the spool at `root` now.
    public func snapshot(root: String) async -> Snapshot {
        await onQueue { self.refresh(root: root) }
    }

    /// Moves the alert named `name` from `new/` to `cur/` as `feedwatch alerts ack` does (durably), and
    /// records it. False when it was acknowledged already; throws when the move fails.
    func acknowledge(root: String, name: String) async throws(SpoolError) -> Bool {
        let result: Result<Bool, SpoolError> = await onQueue {
            let m = Maildir(root: root)
            do throws(SpoolError) {
                let moved = try m.acknowledge(Maildir.Located(directory: m.new, name: name))
                self.state.withLock { s in
                    s.byName[name]?.acked = true
                    s.unsettled = true
                }
                return .success(moved)
            } catch {
                // Someone else acknowledged it first: the file is in cur/ already.
                if Self.exists(m.cur + "/" + name) { return .success(false) }
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    private func refresh(root: String) -> Snapshot {
        let m = Maildir(root: root)
        let dirs = [m.new, m.cur]
        let stamps = dirs.map(Self.modified)
        if let current = state.withLock({ s -> Snapshot? in
            s.root == root && !s.unsettled && Self.same(s.stamps, stamps) ? s.snapshot : nil
        }) {
            return current
        }
        var known = state.withLock { s in s.root == root ? s.byName : [:] }
        var seen: [String: IndexedAlert] = [:]
        seen.reserveCapacity(known.count + 64)
        for (dir, acked) in [(m.new, false), (m.cur, true)] {
            for name in Directory.names(in: dir) where !name.hasPrefix(".") && name.contains(".json") {
                if var alert = known.removeValue(forKey: name) {
                    alert.acked = acked
                    seen[name] = alert
                } else if let alert = IndexedAlert(path: dir + "/" + name, name: name, acked: acked) {
                    seen[name] = alert
                }
            }
        }
        let snapshot = Self.snapshot(of: seen)
        let now = Self.now()
        let unsettled = stamps.contains { now.tv_sec - $0.tv_sec < 2 }
        state.withLock { s in
            s = State(root: root, byName: seen, stamps: stamps, unsettled: unsettled, snapshot: snapshot)
        }
        return snapshot
    }

    private static func snapshot(of alerts: [String: IndexedAlert]) -> Snapshot {
        let sorted = alerts.values.sorted { ($0.created, $0.name) > ($1.created, $1.name) }
        var byID: [String: Int] = [:]
        byID.reserveCapacity(sorted.count)
        var topics = Set<String>()
        var titles: [String: String] = [:]
        for (i, a) in sorted.enumerated() {
            byID[a.id] = byID[a.id] ?? i
            topics.formUnion(a.topics)
            if titles[a.feedURL] == nil { titles[a.feedURL] = a.feedTitle ?? "" }
        }
        return Snapshot(
            alerts: sorted, topics: topics.sorted(), feeds: titles.keys.sorted(), feedTitles: titles, byID: byID)
    }

    private static func modified(_ path: String) -> timespec {
        var st = stat()
        guard stat(path, &st) == 0 else { return timespec() }
        return st.st_mtim
    }

    private static func same(_ a: [timespec], _ b: [timespec]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.tv_sec == $1.tv_sec && $0.tv_nsec == $1.tv_nsec }
    }

    private static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    private static func now() -> timespec {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return t
    }
}
