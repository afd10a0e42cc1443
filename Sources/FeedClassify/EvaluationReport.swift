import FeedCore

/// Renders an `Evaluation` as readable tables or as one JSON object.
public enum EvaluationReport: Sendable {
    public static func text(_ e: Evaluation, misses: Bool, errors: Bool = false) -> String {
        var out = "items: \(e.itemCount)\n"
        out +=
            "stream: \(fmt(e.falseAlertsPerThousand)) false alerts per 1,000 clear items (\(e.falseAlerts.count) of "
            + "\(e.clearItems)); clear positives found \(e.clearPositivesFound) of \(e.clearPositives) "
            + "(recall \(fmt(e.clearPositiveRecall)))\n"
        if e.streams.count > 1 || e.streams.keys.first != "?" {
            for (lang, st) in e.streams.sorted(by: { $0.key < $1.key }) {
                let recall = e.topics.compactMap { t -> String? in
                    guard let p = st.positives[t] else { return nil }
                    return "\(t) \(fmt(p.all == 0 ? 1 : Double(p.found) / Double(p.all))) (\(p.found) of \(p.all))"
                }
                out +=
                    "  \(lang): \(fmt(st.falseAlertsPerThousand)) false alerts per 1,000 clear items (\(st.falseAlerts) of "
                    + "\(st.clearItems))" + (recall.isEmpty ? "" : "; recall " + recall.joined(separator: ", ")) + "\n"
            }
        }
        if errors {
            // Each with why it passed or why not: what a user tuning a topic needs, both ways.
            out += "\nfalse alerts (\(e.falseAlerts.count)):\n"
            for f in e.falseAlerts {
                out +=
                    "- \(f.id) [\(f.lang)] \(f.topic): \(f.title)\n    \(f.result.explanation) "
                    + "[\(f.result.matched.joined(separator: ", "))]\n"
            }
            out += "\nclear positives missed (\(e.missedPositives.count)):\n"
            for f in e.missedPositives {
                out +=
                    "- \(f.id) [\(f.lang)] \(f.topic): \(f.title)\n    \(f.result.explanation) "
                    + "[\(f.result.matched.joined(separator: ", "))]\n"
            }
        }
        for mode in Evaluation.Mode.allCases {
            out +=
                "\n\(mode == .strict ? "strict (ambiguous items left out)" : "lenient (a prediction on an ambiguous item is never an error)")\n"
            out += pad("topic", 18) + pad("lang", 6) + pad("P", 7) + pad("R", 7) + pad("F1", 7) + "  tp  fp  fn\n"
            for topic in e.topics {
                for lang in e.languages + ["all"] {
                    let c = e.counts(mode, language: lang, topic: topic)
                    out +=
                        pad(topic, 18) + pad(lang, 6) + pad(c.scored ? fmt(c.precision) : "-", 7)
                        + pad(c.scored ? fmt(c.recall) : "-", 7) + pad(c.scored ? fmt(c.f1) : "-", 7)
                        + pad(String(c.tp), 4, right: true) + pad(String(c.fp), 4, right: true)
                        + pad(String(c.fn), 4, right: true) + "\n"
                }
            }
            let perLang = e.languages.map { "\($0) \(fmt(e.macroF1(mode, language: $0)))" }.joined(separator: ", ")
            out += "macro-F1: \(fmt(e.macroF1(mode)))" + (perLang.isEmpty ? "\n" : "  (\(perLang))\n")
        }
        if misses, !e.misses.isEmpty {
            out += "\nmisclassified (\(e.misses.count)):\n"
            for m in e.misses {
                let scores = m.classification.results.filter { $0.score > 0 }
                    .map { "\($0.name)=\(fmt($0.score)) [\($0.matched.joined(separator: ", "))]" }.joined(separator: "; ")
                out +=
                    "- \(m.id)\(m.ambiguous ? " (ambiguous)" : "") expected [\(m.expected.joined(separator: ", "))] "
                    + "got [\(m.predicted.joined(separator: ", "))]: \(m.title)\n    \(scores)\n"
            }
        }
        return out
    }

    public static func json(_ e: Evaluation) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("items", e.itemCount)
        w.key("stream")
        w.beginObject()
        w.field("clear_items", e.clearItems)
        w.field("false_alerts", e.falseAlerts.count)
        w.field("false_alerts_per_1000", number: e.falseAlertsPerThousand)
        w.field("clear_positives", e.clearPositives)
        w.field("clear_positives_found", e.clearPositivesFound)
        w.field("clear_positive_recall", number: e.clearPositiveRecall)
        w.key("by_language")
        w.beginObject()
        for (lang, st) in e.streams.sorted(by: { $0.key < $1.key }) {
            w.key(lang)
            w.beginObject()
            w.field("clear_items", st.clearItems)
            w.field("false_alerts", st.falseAlerts)
            w.field("false_alerts_per_1000", number: st.falseAlertsPerThousand)
            w.key("recall")
            w.beginObject()
            for t in e.topics {
                guard let p = st.positives[t] else { continue }
                w.key(t)
                w.beginObject()
                w.field("found", p.found)
                w.field("positives", p.all)
                w.field("recall", number: p.all == 0 ? 1 : Double(p.found) / Double(p.all))
                w.endObject()
            }
            w.endObject()
            w.endObject()
        }
        w.endObject()
        w.key("false_alert_items")
        items(&w, e.falseAlerts)
        w.key("missed_items")
        items(&w, e.missedPositives)
        w.endObject()
        for mode in Evaluation.Mode.allCases {
            w.key(mode.rawValue)
            w.beginObject()
            w.field("macro_f1", number: e.macroF1(mode))
            w.key("by_language")
            w.beginObject()
            for lang in e.languages + ["all"] {
                w.key(lang)
                w.beginObject()
                w.field("macro_f1", number: e.macroF1(mode, language: lang))
                for topic in e.topics {
                    let c = e.counts(mode, language: lang, topic: topic)
                    w.key(topic)
                    w.beginObject()
                    // No labeled item and no prediction: nothing to score (null), left out of macro-F1.
                    for (key, value) in [("precision", c.precision), ("recall", c.recall), ("f1", c.f1)] {
                        w.key(key)
                        if c.scored { w.number(value) } else { w.null() }
                    }
                    w.field("tp", c.tp)
                    w.field("fp", c.fp)
                    w.field("fn", c.fn)
                    w.endObject()
                }
                w.endObject()
            }
            w.endObject()
            w.endObject()
        }
        w.key("misclassified")
        w.beginArray()
        for m in e.misses {
            w.beginObject()
            w.field("id", m.id)
            w.key("expected")
            w.beginArray()
            for t in m.expected { w.string(t) }
            w.endArray()
            w.key("predicted")
            w.beginArray()
            for t in m.predicted { w.string(t) }
            w.endArray()
            w.field("ambiguous", m.ambiguous)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.output
    }

    /// False alerts or missed positives, each with why it passed or why not.
    private static func items(_ w: inout JSONWriter, _ list: [Evaluation.FalseAlert]) {
        w.beginArray()
        for f in list {
            w.beginObject()
            w.field("id", f.id)
            w.field("lang", f.lang)
            w.field("topic", f.topic)
            w.field("title", f.title)
            w.field("why", f.result.explanation)
            w.key("matched")
            w.beginArray()
            for m in f.result.matched { w.string(m) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
    }

    /// The sweep as a table: per topic and threshold, strict precision, recall and false alerts per 1,000.
    public static func sweep(_ points: [Evaluation.SweepPoint], current: [String: Double]) -> String {
        var out = pad("topic", 18) + pad("threshold", 11) + pad("P", 7) + pad("R", 7) + "  tp  fp  fn  false/1000\n"
        for p in points {
            let mark = current[p.topic] == p.threshold ? " *" : ""
            out +=
                pad(p.topic, 18) + pad(fmt(p.threshold) + mark, 11) + pad(fmt(p.strict.precision), 7)
                + pad(fmt(p.strict.recall), 7) + pad(String(p.strict.tp), 4, right: true)
                + pad(String(p.strict.fp), 4, right: true) + pad(String(p.strict.fn), 4, right: true)
                + "  " + fmt(p.falseAlertsPerThousand) + "\n"
        }
        return out + "(* the threshold in use)\n"
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < 3 { s += String(repeating: "0", count: 3 - decimals) }
        }
        return s
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        guard n < width else { return s + " " }
        let spaces = String(repeating: " ", count: width - n)
        return right ? spaces + s : s + spaces
    }
}
