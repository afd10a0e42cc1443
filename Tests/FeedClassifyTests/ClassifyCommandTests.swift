import FeedClassify
import FeedTestSupport
import Foundation
import Testing

/// `feedwatch classify` on JSON Lines, through the real binary: the input is classified in parallel
/// blocks, so these tests check that what comes out is what the library says, line for line, in input
/// order, across many blocks, and that a bad line is named by its number.
@Suite("feedwatch classify (JSON Lines, real binary)")
struct ClassifyCommandTests {
    /// Every line of the natural stream and the labeled headlines (2.5 MB: about ten blocks), with a
    /// blank line, a CRLF line and two lines that are not JSON objects among them.
    @Test("output equals the library's, in input order; bad lines named by number, exit 65")
    func parallelBlocksKeepOrder() async throws {
        let dir = try TestPaths.temporaryDirectory("classify-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines: [String] = []
        for file in ["natural-dev.jsonl", "headlines-dev.jsonl"] {
            let text = try String(contentsOfFile: TestPaths.shared + "/eval/" + file, encoding: .utf8)
            lines += text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
        let badAt = [1_000, 3_100]  // 0-based positions in the input
        lines.insert("   ", at: 2_000)
        lines.insert("{\"id\": \"broken\", \"title\": ", at: badAt[0])
        lines.insert("not json at all", at: badAt[1])
        lines[2_500] += "\r"
        let input = dir + "/in.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: input))
        let config = dir + "/feedwatch.yaml"
        try Data("topics: []\n".utf8).write(to: URL(fileURLWithPath: config))

        let result = try await Program.run(TestPaths.binary, ["classify", "--config", config], stdinFile: input)
        #expect(result.status == 65)
        #expect(result.stderr == "stdin:\(badAt[0] + 1): not a JSON object\nstdin:\(badAt[1] + 1): not a JSON object\n")

        let classifier = Classifier(topics: TopicCatalog.defaults)
        var expected: [String] = []
        for (i, line) in lines.enumerated() where !badAt.contains(i) && !line.allSatisfy(\.isWhitespace) {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            expected.append(
                classifier.classify(title: object["title"] as? String, summary: object["summary"] as? String)
                    .jsonLine(id: object["id"] as? String))
        }
        let got = result.stdout.split(separator: "\n").map(String.init)
        #expect(got.count == expected.count)
        let firstDifference = got.indices.first { $0 < expected.count && got[$0] != expected[$0] }
        #expect(firstDifference == nil, "line \(firstDifference ?? 0): \(firstDifference.map { got[$0] } ?? "")")
    }

    @Test("an input without a final newline, and an empty input")
    func edges() async throws {
        let dir = try TestPaths.temporaryDirectory("classify-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.jsonl"
        try Data(#"{"id": 7, "title": "Gold price hits record high"}"#.utf8).write(to: URL(fileURLWithPath: input))
        let one = try await Program.run(TestPaths.binary, ["classify"], cwd: dir, stdinFile: input)
        #expect(one.status == 0)
        #expect(one.stdout.hasPrefix(#"{"id":"7","topics":["gold-prices"]"#), "\(one.stdout)")
        #expect(one.stdout.filter { $0 == "\n" }.count == 1)

        try Data().write(to: URL(fileURLWithPath: input))
        let none = try await Program.run(TestPaths.binary, ["classify"], cwd: dir, stdinFile: input)
        #expect(none.status == 0)
        #expect(none.stdout.isEmpty)
    }

    /// `feedwatch eval` on the news-stream format: the measure per language, and with `--errors` both the
    /// false alerts and the missed positives, each with why it passed or why not.
    @Test("eval reports false alerts and recall per language; --errors lists misses and false alerts with their why")
    func evalPerLanguage() async throws {
        let dir = try TestPaths.temporaryDirectory("eval-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let items = [
            #"{"id": "e1", "lang": "en", "title": "Nikkei hits a record high", "summary": null, "topics": ["markets"], "ambiguous": false}"#,
            #"{"id": "e2", "lang": "en", "title": "Traders wait for Tokyo", "summary": null, "topics": ["markets"], "ambiguous": false}"#,
            #"{"id": "e3", "lang": "en", "title": "Gardening tips for spring", "summary": null, "topics": [], "ambiguous": false}"#,
            #"{"id": "a1", "lang": "ar", "title": "الليرة التركية تتراجع أمام الدولار", "summary": null, "topics": [], "ambiguous": false}"#,
            #"{"id": "a2", "lang": "ar", "title": "نصائح للحديقة", "summary": null, "topics": [], "ambiguous": false}"#,
            #"{"id": "a3", "lang": "ar", "title": "الذهب يرتفع", "summary": null, "topics": ["gold-prices"], "ambiguous": true}"#,
        ]
        let file = dir + "/items.jsonl"
        try Data((items.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let config = dir + "/feedwatch.yaml"
        try Data("topics: []\n".utf8).write(to: URL(fileURLWithPath: config))

        let text = try await Program.run(TestPaths.binary, ["eval", "--config", config, "--errors", "--no-misses", file])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(
            text.stdout.contains(
                "  ar: 500.000 false alerts per 1,000 clear items (1 of 2)\n"
                    + "  en: 0.000 false alerts per 1,000 clear items (0 of 3); recall markets 0.500 (1 of 2)\n"),
            "\(text.stdout)")
        // The false alert with why it passed, the miss with why not.
        #expect(text.stdout.contains("- a1 [ar] markets: الليرة التركية تتراجع أمام الدولار\n    concept currency-named; score"))
        #expect(
            text.stdout.contains(
                "- e2 [en] markets: Traders wait for Tokyo\n    no concept met (nearest lacks instrument); score 3.0 [traders]"),
            "\(text.stdout)")

        let json = try await Program.run(TestPaths.binary, ["eval", "--config", config, "--json", file])
        let root = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let stream = try #require(root["stream"] as? [String: Any])
        let byLanguage = try #require(stream["by_language"] as? [String: [String: Any]])
        #expect(byLanguage["ar"]?["false_alerts"] as? Int == 1)
        #expect(byLanguage["en"]?["clear_items"] as? Int == 3)
        let recall = try #require(byLanguage["en"]?["recall"] as? [String: [String: Any]])
        #expect(recall["markets"]?["found"] as? Int == 1)
        let missed = try #require(stream["missed_items"] as? [[String: Any]])
        #expect(missed.map { $0["id"] as? String } == ["e2"])
        #expect((missed.first?["why"] as? String)?.hasPrefix("no concept met") == true)
    }
}
