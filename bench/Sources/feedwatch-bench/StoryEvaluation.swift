import FeedClassify
import FeedStory
import Foundation

/// `feedwatch-bench stories-eval FILE.jsonl...`: runs the story matcher over every item of the files as
/// if all arrived within one story window, in file order, with the daemon's candidate lookup (LSH band
/// keys) and verification, and prints every merge for inspection, then the counts. Items of one corpus
/// file count as one feed.
///   --near   also prints each rejected candidate whose title words overlap by half or more, with the
///            reason it was rejected (facts, summaries, one feed's series).
func storyEvaluation(_ arguments: [String]) {
    let near = arguments.contains("--near")
    let files = arguments.filter { $0 != "--near" }
    var items: [Evaluation.Item] = []
    for f in files {
        let text = (try? String(contentsOfFile: f, encoding: .utf8)) ?? ""
        items += (try? Evaluation.readItems(text, file: f)) ?? []
    }
    var index = StoryIndex<Int>()
    var storyOf: [Int] = []
    var identical = 0
    var distinct = 0
    for (i, item) in items.enumerated() {
        let fp = StoryFingerprint(title: item.title, summary: item.summary)
        let candidates = index.candidates(for: fp).map {
            ($0.item, $0.fingerprint, sameFeed: feed(items[$0.item].id) == feed(item.id))
        }
        if near {
            for (j, other, sameFeed) in candidates {
                let v = StoryMatcher.compare(fp, other, sameFeed: sameFeed)
                if !v.same, v.score >= 0.5 {
                    print("NEAR MISS \(v.reason), score \(String(format: "%.2f", v.score))")
                    print("  + \(item.id): \(item.title)\n  = \(items[j].id): \(items[j].title)")
                }
            }
        }
        if let (j, verdict) = StoryMatcher.best(for: fp, among: candidates) {
            storyOf.append(storyOf[j])
            let same = items[j].title == item.title && items[j].summary == item.summary
            if same { identical += 1 } else { distinct += 1 }
            print("MERGE\(same ? " (identical text)" : "") \(verdict.reason), score \(String(format: "%.2f", verdict.score))")
            print("  + \(item.id): \(item.title)")
            print("  = \(items[j].id): \(items[j].title)")
            if !same {
                print("    summaries: \(String((item.summary ?? "-").prefix(140)))")
                print("             | \(String((items[j].summary ?? "-").prefix(140)))")
            }
        } else {
            storyOf.append(i)
        }
        index.insert(i, fp)
    }
    print(
        "items: \(items.count), stories: \(Set(storyOf).count), merged: \(identical + distinct) "
            + "(\(identical) with text identical to the report they joined, \(distinct) with different text)")
}

/// The feed of an item: its file in natural-dev ids (`file#n`); headlines-dev items each stand alone.
private func feed(_ id: String) -> String { id.split(separator: "#").first.map(String.init) ?? id }
