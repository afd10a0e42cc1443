import FeedCore

/// What the classifier decided for one text, with the evidence: every topic's score and the terms that
/// matched, so a reader can see why an alert fired (or why not).
public struct Classification: Sendable, Equatable {
    public struct TopicResult: Sendable, Equatable {
        public var name: String
        public var score: Double
        public var matched: [String]
        public var assigned: Bool
        /// The groups of the concept that was met (empty when none was, or the topic has no concepts).
        public var concept: [String] = []
        public var threshold: Double = 0
        /// Why the topic does not apply, when it does not but something matched: the concept that was not
        /// met, a required group missing, the score short of the threshold, or the topic it deferred to.
        public var shortfall: String? = nil

        /// Why the topic applies: the concept met and the score against the threshold.
        public var reason: String {
            let c = concept.isEmpty ? "" : "concept \(concept.joined(separator: "+")); "
            return c + "score \(score) >= \(threshold)"
        }

        /// Why the topic applies, or why not: what a user tuning a topic reads beside a miss.
        public var explanation: String { assigned ? reason : shortfall ?? "score \(score) < \(threshold)" }
    }

    /// In topic-definition order.
    public var results: [TopicResult]

    public var topics: [String] { results.filter(\.assigned).map(\.name) }

    /// `{"id": …, "topics": […], "scores": {…}, "matches": {…}, "why": {…}}` (design.md, classify output;
    /// `why` names, for each assigned topic, the concept that was met and the score against the threshold).
    public func jsonLine(id: String?) -> String { jsonWriter(id: id).output }

    /// The same line as UTF-8 bytes (without its newline), for output written in bulk.
    public func jsonLineBytes(id: String?) -> [UInt8] { jsonWriter(id: id).bytes }

    private func jsonWriter(id: String?) -> JSONWriter {
        var w = JSONWriter()
        w.beginObject()
        w.field("id", id)
        w.key("topics")
        w.beginArray()
        for t in topics { w.string(t) }
        w.endArray()
        w.key("scores")
        w.beginObject()
        for r in results {
            w.key(r.name)
            w.number(r.score)
        }
        w.endObject()
        w.key("matches")
        w.beginObject()
        for r in results where !r.matched.isEmpty {
            w.key(r.name)
            w.beginArray()
            for m in r.matched { w.string(m) }
            w.endArray()
        }
        w.endObject()
        w.key("why")
        w.beginObject()
        for r in results where r.assigned {
            w.key(r.name)
            w.string(r.reason)
        }
        w.endObject()
        // Why a topic that matched something did not apply: only when the classification was asked to
        // explain (`classify TEXT`, `classify --explain`), so the stream pays nothing otherwise.
        let missed = results.filter { !$0.assigned && $0.shortfall != nil }
        if !missed.isEmpty {
            w.key("why_not")
            w.beginObject()
            for r in missed {
                w.key(r.name)
                w.string(r.explanation)
            }
            w.endObject()
        }
        w.endObject()
        return w
    }
}
