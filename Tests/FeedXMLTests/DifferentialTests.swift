import FeedTestSupport
import Foundation
import Testing

/// Field-level agreement with feedparser 6.0.x (the oracle) over the shared corpora, measured by the
/// shared compare_feeds.py. The floors are the agreement reached; a drop fails the suite. Where we differ
/// on purpose, docs/parser-differences.md says why.
@Suite("Differential agreement with feedparser", .serialized)
struct DifferentialTests {
    func oracleLines(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test("real-world feeds", arguments: [("corpus/real", 97.0), ("corpus/feedparser", 98.0), ("corpus/jsonfeed", 98.0)])
    func agreement(corpus: String, floor: Double) async throws {
        let dir = try TestPaths.temporaryDirectory("differential")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let relative = "../shared/" + corpus
        let oracleOut = dir + "/oracle.jsonl"
        let oracle = try await Program.run(
            Program.python3, ["../shared/tools/feed_oracle.py", relative],
            cwd: TestPaths.repoRoot, stdoutFile: oracleOut)
        try #require(oracle.status == 0, "feed_oracle.py failed (is feedparser installed?): \(oracle.stderr)")

        // Our side: the real `feedwatch parse`, which names files exactly as the oracle does (normpath of
        // the path as given); it exits 65 when some input is not a feed.
        let oursOut = dir + "/ours.jsonl"
        let ours = try await Program.run(TestPaths.binary, ["parse", relative], cwd: TestPaths.repoRoot, stdoutFile: oursOut)
        try #require(ours.status == 0 || ours.status == 65, "feedwatch parse failed: \(ours.stderr)")
        let root = TestPaths.repoRoot + "/" + relative
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { rel in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir) && !isDir.boolValue
        }

        let cmp = try await Program.run(
            Program.python3,
            [
                "../shared/tools/compare_feeds.py", oracleOut, oursOut,
                "--max-diffs", "0",
            ], cwd: TestPaths.repoRoot)
        let last = cmp.stdout.split(separator: "\n").last.map(String.init) ?? ""
        print("\(corpus): \(last)")
        // "agreement: 97.3% (field-level, N files)"
        let pct = last.split(separator: " ").dropFirst().first.flatMap { Double($0.dropLast()) }
        let value = try #require(pct, "no agreement line in: \(cmp.stdout.suffix(500)) \(cmp.stderr)")
        #expect(value >= floor, "agreement on \(corpus) fell to \(value)% (floor \(floor)%)")
        // Every file got a line, and the oracle saw the same files.
        #expect(oracleLines(oursOut) == files.count)
        #expect(oracleLines(oracleOut) == files.count)
    }
}
