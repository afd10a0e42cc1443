import FeedCore
import FeedTestSupport
import FeedXML
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

    @Test("real-world feeds", arguments: [("corpus/real", 97.0), ("corpus/feedparser", 98.0)])
    func agreement(corpus: String, floor: Double) throws {
        let dir = try TestPaths.temporaryDirectory("differential")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let relative = "../shared/" + corpus
        let oracleOut = dir + "/oracle.jsonl"
        let oracle = try Subprocess.run(Subprocess.python3, ["../shared/tools/feed_oracle.py", relative],
                                        cwd: TestPaths.repoRoot, stdoutFile: oracleOut)
        try #require(oracle.status == 0, "feed_oracle.py failed (is feedparser installed?): \(oracle.stderr)")

        // Our side, named exactly as the oracle names files (normpath of the path as given).
        let parser = FeedParser()
        var lines: [String] = []
        let root = TestPaths.repoRoot + "/" + relative
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted().filter { rel in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir) && !isDir.boolValue
        }
        for rel in files {
            let name = relative + "/" + rel
            let bytes = try TestPaths.bytes(root + "/" + rel)
            do {
                lines.append(ParseReport.line(file: name, feed: try parser.parse(bytes)))
            } catch {
                lines.append(ParseReport.errorLine(file: name, message: error.description))
            }
        }
        let oursOut = dir + "/ours.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: oursOut, atomically: true, encoding: .utf8)

        let cmp = try Subprocess.run(Subprocess.python3, ["../shared/tools/compare_feeds.py", oracleOut, oursOut,
                                                          "--max-diffs", "0"], cwd: TestPaths.repoRoot)
        let last = cmp.stdout.split(separator: "\n").last.map(String.init) ?? ""
        print("\(corpus): \(last)")
        // "agreement: 97.3% (field-level, N files)"
        let pct = last.split(separator: " ").dropFirst().first.flatMap { Double($0.dropLast()) }
        let value = try #require(pct, "no agreement line in: \(cmp.stdout.suffix(500)) \(cmp.stderr)")
        #expect(value >= floor, "agreement on \(corpus) fell to \(value)% (floor \(floor)%)")
        // Every file got a line, and the oracle saw the same files.
        #expect(lines.count == files.count)
        #expect(oracleLines(oracleOut) == files.count)
    }
}
