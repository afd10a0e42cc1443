import FeedClassify
import FeedCore
import FeedDaemon
import FeedStore
import FeedStory
import Foundation
import Synchronization

/// `feedwatch-bench stories-cost [--open N] [--items M] FILE.jsonl...`: what the story stage costs per
/// item with N stories open in the window (default 10,000), in the daemon's own code: the fingerprint,
/// then the poll's commit through the real SQLite state with the stage deciding inside the transaction
/// (LSH band lookup, verification, inserts). The same items are committed again with `story_window: 0`
/// (no lookup, no index) for the stage's share of the commit.
///
/// The open stories are the files' items (real headlines and summaries) and, up to N, synthetic titles
/// of eight words drawn from the files' own word stream, so common words are as common as in news. The
/// measured items are one third syndicated copies of open stories ("UPDATE 1-… - Wire") and two thirds
/// new titles, committed in polls of 10.
func storyCost(_ arguments: [String]) async {
    var args = arguments[...]
    var openCount = 10_000
    var itemCount = 3_000
    var files: [String] = []
    while let a = args.popFirst() {
        switch a {
        case "--open": openCount = args.popFirst().flatMap { Int($0) } ?? openCount
        case "--items": itemCount = args.popFirst().flatMap { Int($0) } ?? itemCount
        default: files.append(a)
        }
    }
    var items: [(title: String, summary: String?)] = []
    for f in files {
        let text = (try? String(contentsOfFile: f, encoding: .utf8)) ?? ""
        items += ((try? Evaluation.readItems(text, file: f)) ?? []).map { ($0.title, $0.summary) }
    }
    guard !items.isEmpty else {
        print("no items in \(files)")
        exit(1)
    }
    var rng = SplitMix(seed: 10)
    let words = items.flatMap { $0.title.split(separator: " ").map(String.init) }
    func synthetic() -> (String, String?) { ((0..<8).map { _ in words[rng.next(words.count)] }.joined(separator: " "), nil) }
    let open = Array(items.prefix(openCount)) + (0..<max(0, openCount - items.count)).map { _ in synthetic() }
    let measured: [(String, String?)] = (0..<itemCount).map { i in
        if i % 3 == 0 {
            let o = open[rng.next(min(items.count, open.count))]
            return ("UPDATE 1-" + o.0 + " - Wire", o.1)
        }
        return synthetic()
    }

    let classifier = Classifier(topics: TopicCatalog.defaults)
    // Reports are built (classified, fingerprinted) before the timed commits; the fingerprint is timed
    // on its own below.
    let epoch: Int64 = 1_800_000_000
    func reports(_ texts: ArraySlice<(String, String?)>, feed: String, at: Int64) -> [StoryStage.Report] {
        texts.enumerated().map { i, t in
            let entry = FeedEntry(id: "\(feed)#\(i)", title: t.0, link: "https://bench.test/\(i)", summary: t.1)
            return StoryStage.Report(
                feedURL: feed, feedTitle: nil, entryKey: "g:\(i)", entry: entry,
                classification: classifier.classify(title: t.0, summary: t.1), at: at)
        }
    }
    /// What committing the measured polls cost.
    struct Cost { var wall = 0.0, cpu = 0.0, decision = 0.0, merged = 0 }
    /// Commits `texts` in polls of `size` (a feed each).
    func commitAll(
        _ store: SQLiteStateStore, _ texts: [(String, String?)], size: Int, window: Int, at: Int64,
        label: String
    ) async -> Cost {
        var cost = Cost()
        for start in stride(from: 0, to: texts.count, by: size) {
            let feed = "https://\(label).test/\(start)"
            var stage = StoryStage(window: window, now: at)
            stage.reports = reports(texts[start..<min(start + size, texts.count)], feed: feed, at: at)
            let timed = TimedDecision(inner: stage)
            let t0 = now()
            let c0 = cpuSeconds()
            let rows =
                (try? await store.commit(
                    PollCommit(
                        feed: FeedState(key: feed, currentURL: feed), stories: timed,
                        seenAt: at))) ?? []
            cost.cpu += cpuSeconds() - c0
            cost.wall += now() - t0
            cost.decision += timed.seconds.withLock { $0 }
            cost.merged += rows.filter { $0.kind == .logLine }.count
        }
        return cost
    }

    var results: [Int: Cost] = [:]
    for window in [48 * 3600, 0] {
        let dir = NSTemporaryDirectory() + "/feedwatch-bench-stories-\(window)-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard let store = try? SQLiteStateStore(directory: dir) else {
            print("cannot open a state in \(dir)")
            exit(1)
        }
        _ = await commitAll(store, open, size: 100, window: window, at: epoch - 3600, label: "fill")
        results[window] = await commitAll(store, measured, size: 10, window: window, at: epoch, label: "poll")
    }

    // The fingerprint alone, best of 5.
    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = now()
        for m in measured { _ = StoryFingerprint(title: m.0, summary: m.1) }
        best = min(best, now() - t0)
    }
    // Candidates per lookup, as the index sees them.
    var index = StoryIndex<Int>()
    for (i, o) in open.enumerated() { index.insert(i, StoryFingerprint(title: o.0, summary: o.1)) }
    let candidates = measured.map { index.candidates(for: StoryFingerprint(title: $0.0, summary: $0.1)).count }

    let n = Double(measured.count)
    func µs(_ seconds: Double) -> String { fmt(seconds / n * 1e6, 1) }
    let on = results[48 * 3600] ?? Cost()
    let off = results[0] ?? Cost()
    print(
        "open stories in the window: \(open.count) (\(min(items.count, open.count)) real items, the rest synthetic); "
            + "measured items: \(measured.count) in polls of 10, \(on.merged) joined a story")
    print(
        "candidates per lookup (sharing a band key): mean \(fmt(Double(candidates.reduce(0, +)) / n, 1)), "
            + "max \(candidates.max() ?? 0); at most \(StoryStage.candidateLimit) verified")
    print("per item, µs              story_window 48h   story_window 0")
    print("  commit, wall            \(µs(on.wall).padded(17))  \(µs(off.wall))")
    print("  commit, CPU             \(µs(on.cpu).padded(17))  \(µs(off.cpu))")
    print("  story decision (in it)  \(µs(on.decision).padded(17))  \(µs(off.decision))")
    print("  fingerprint             \(µs(best).padded(17))")
    let stage = (best + on.cpu - off.cpu) / n
    print(
        "the stage's CPU cost: \(fmt(stage * 1e6, 1)) µs per item (fingerprint + CPU of the commit above story_window 0); "
            + "at 10,000 new items an hour \(fmt(stage * 10_000, 2)) s of CPU per hour (\(fmt(stage * 10_000 / 36, 3)) % of one core)"
    )
}

/// Times the story decision inside the commit's transaction.
final class TimedDecision: StoryDecision {
    let inner: StoryStage
    let seconds = Mutex(0.0)
    init(inner: StoryStage) { self.inner = inner }
    func decide(in ledger: any StoryLedger) throws -> [StoredAlert] {
        let t0 = now()
        defer {
            let d = now() - t0
            seconds.withLock { $0 += d }
        }
        return try inner.decide(in: ledger)
    }
}

/// User and system CPU time of the process.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// A small seeded generator, so every run measures the same items.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
