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
/// So each request looks at the modification times of `new/` and `cur/`, and only when they changed
/// lists them again and reads the names it has not seen. The spool stays the truth: the page and
/// `feedwatch alerts` always agree.
///
/// File work runs on the index's own serial queue, off the cooperative pool, one refresh at a time;
/// what a refresh keeps (`Files`) is touched only there.
public final class AlertIndex: Sendable {
    /// The index at one moment: newest first.
    public struct Snapshot: Sendable {
        public var alerts: [IndexedAlert]
        /// Every topic and feed URL that appears, sorted, for the filters.
        public var topics: [String]
        public var feeds: [String]
        /// Each feed's title in its newest alert.
        public var feedTitles: [String: String]

        public func alert(id: String) -> IndexedAlert? { alerts.first { $0.id == id } }
    }

    /// The records by file name, and what the last listing saw. Confined to `queue`.
    private final class Files: @unchecked Sendable {
        var root = ""
        var records: [String: AlertRecord] = [:]
        var stamps: [timespec] = []
        /// The directories changed less than two seconds before they were read: a second change within
        /// the file system's clock tick would leave their times as they were, so the next request lists
        /// them again.
        var unsettled = true
        var snapshot = Snapshot(alerts: [], topics: [], feeds: [], feedTitles: [:])
        /// The filters' choices, kept up to date as records come and go.
        var topics = Set<String>()
        var feedTitles: [String: (created: Int64, title: String)] = [:]

        func add(_ r: AlertRecord) {
            records[r.name] = r
            topics.formUnion(r.topics)
            if let known = feedTitles[r.feedURL], known.created > r.created { return }
            feedTitles[r.feedURL] = (r.created, r.feedTitle ?? "")
        }

        /// Keeps only the records of `names`, and the choices of those.
        func keep(_ names: Set<String>) {
            let kept = records.filter { names.contains($0.key) }
            records = [:]
            topics = []
            feedTitles = [:]
            for r in kept.values { add(r) }
        }
    }

    private let files = Files()
    private let queue = DispatchQueue(label: "feedwatch.reader.index")
    /// The last snapshot, for requests that find the directories unchanged without waiting for the queue.
    private let current = Mutex<(root: String, stamps: [timespec], snapshot: Snapshot)?>(nil)

    public init() {}

    /// The alerts of the spool at `root` now.
    public func snapshot(root: String) async -> Snapshot {
        let m = Maildir(root: root)
        let stamps = [m.new, m.cur].map(Self.modified)
        let cached = current.withLock { c in
            c.flatMap { $0.root == root && Self.same($0.stamps, stamps) ? $0.snapshot : nil }
        }
        if let cached { return cached }
        return await onQueue { self.refresh(root: root) }
    }

    /// Moves the alert named `name` from `new/` to `cur/` as `feedwatch alerts ack` does (durably).
    /// False when it was acknowledged already; throws when the move fails.
    func acknowledge(root: String, name: String) async throws(SpoolError) -> Bool {
        let result: Result<Bool, SpoolError> = await onQueue {
            let m = Maildir(root: root)
            defer { self.current.withLock { $0 = nil } }
            do throws(SpoolError) {
                return .success(try m.acknowledge(Maildir.Located(directory: m.new, name: name)))
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

    /// Lists both directories (when their times changed), reads the files not seen before, and sorts.
    private func refresh(root: String) -> Snapshot {
        let m = Maildir(root: root)
        let stamps = [m.new, m.cur].map(Self.modified)
        if files.root == root, !files.unsettled, Self.same(files.stamps, stamps) { return files.snapshot }
        if files.root != root { files.keep([]) }
        var listed: [IndexedAlert] = []
        listed.reserveCapacity(files.records.count + 64)
        var fresh: [(name: String, path: String, acked: Bool)] = []
        for (dir, acked) in [(m.new, false), (m.cur, true)] {
            for name in Directory.names(in: dir) where Self.isAlertFile(name) {
                if let record = files.records[name] {
                    listed.append(IndexedAlert(record: record, acked: acked))
                } else {
                    fresh.append((name, dir + "/" + name, acked))
                }
            }
        }
        let read = Self.read(fresh)
        for (i, record) in read.enumerated() {
            guard let record else { continue }
            files.add(record)
            listed.append(IndexedAlert(record: record, acked: fresh[i].acked))
        }
        // Retention removed files: forget their records.
        if listed.count < files.records.count { files.keep(Set(listed.map(\.name))) }
        listed = Self.sorted(listed)
        let snapshot = Snapshot(
            alerts: listed, topics: files.topics.sorted(), feeds: files.feedTitles.keys.sorted(),
            feedTitles: files.feedTitles.mapValues(\.title))
        let now = Self.now()
        files.root = root
        files.stamps = stamps
        files.unsettled = stamps.contains { now.tv_sec - $0.tv_sec < 2 }
        files.snapshot = snapshot
        current.withLock { $0 = files.unsettled ? nil : (root, stamps, snapshot) }
        return snapshot
    }

    /// The records of `fresh`, read on both cores when there are many (the first request after a
    /// start reads every file of the spool).
    private static func read(_ fresh: [(name: String, path: String, acked: Bool)]) -> [AlertRecord?] {
        guard fresh.count > 256 else { return fresh.map { AlertRecord(path: $0.path, name: $0.name) } }
        let out = Mutex([AlertRecord?](repeating: nil, count: fresh.count))
        let chunk = 512
        DispatchQueue.concurrentPerform(iterations: (fresh.count + chunk - 1) / chunk) { c in
            let range = c * chunk..<min(fresh.count, (c + 1) * chunk)
            let records = range.map { AlertRecord(path: fresh[$0].path, name: fresh[$0].name) }
            out.withLock { all in
                for (i, r) in zip(range, records) { all[i] = r }
            }
        }
        return out.withLock { $0 }
    }

    /// Newest first: by the time of the alert, then (alerts of one poll share it) by the time the
    /// feed gives, then by name. Sorted as (time, position) pairs, then gathered: moving the alerts
    /// themselves would retain and release their records at every step of the sort.
    private static func sorted(_ alerts: [IndexedAlert]) -> [IndexedAlert] {
        var keys = alerts.indices.map { (created: alerts[$0].created, index: Int32($0)) }
        keys.sort { a, b in
            guard a.created == b.created else { return a.created > b.created }
            let (x, y) = (alerts[Int(a.index)].record, alerts[Int(b.index)].record)
            let (p, q) = (x.published ?? "", y.published ?? "")
            return p != q ? p > q : x.name > y.name
        }
        return keys.map { alerts[Int($0.index)] }
    }

    /// `<seconds>.<id>.json`, perhaps with maildir flags after it; not a dot file. Compared as bytes:
    /// String's own search reads graphemes, and this runs for every file of the spool.
    static func isAlertFile(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard b.first != UInt8(ascii: "."), b.count >= 5 else { return false }
        let suffix = Array(".json".utf8)
        for i in 0...(b.count - 5) where b[i] == suffix[0] && b[i..<i + 5].elementsEqual(suffix) { return true }
        return false
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
