import FeedCore
import Foundation

/// Scores a classifier against labeled items in the format of ../shared/eval/headlines-dev.jsonl,
/// per topic and per language, both ways the eval README recommends: strict (ambiguous items left
/// out) and lenient (a prediction on an ambiguous item is never an error).
public struct Evaluation: Sendable {
    public struct Item: Sendable, Decodable {
        public var id: String
        public var lang: String?
        public var title: String
        public var summary: String?
        public var topics: [String]
        public var ambiguous: Bool?
    }

    public struct Counts: Sendable, Equatable {
        public var tp = 0, fp = 0, fn = 0
        /// Whether the topic has anything to score: a labeled item or a prediction. A topic with none
        /// has no precision or recall to speak of, and counting it as 1.0 would inflate macro-F1.
        public var scored: Bool { tp + fp + fn > 0 }
        public var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        public var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
        public var f1: Double {
            let p = precision
            let r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
    }

    public enum Mode: String, Sendable, CaseIterable { case strict, lenient }

    public struct Miss: Sendable {
        public var id: String
        public var lang: String
        public var title: String
        public var expected: [String]
        public var predicted: [String]
        public var ambiguous: Bool
        public var classification: Classification
    }

    /// A topic raised on a clear (not ambiguous) item whose labels do not give it: what a user of the
    /// daemon would receive as a false alert.
    public struct FalseAlert: Sendable {
        public var id: String
        public var lang: String
        public var topic: String
        public var title: String
        public var result: Classification.TopicResult
    }

    public let topics: [String]
    public let languages: [String]
    /// The natural-stream measure (eval README): items not marked ambiguous, false alerts among them,
    /// and the clear positives (item, topic) found and missed.
    public private(set) var clearItems = 0
    public private(set) var falseAlerts: [FalseAlert] = []
    public private(set) var clearPositives = 0
    public private(set) var clearPositivesFound = 0
    public private(set) var missedPositives: [FalseAlert] = []
    /// The same measure per language (items without `lang` count under "?"): what the recall work is
    /// judged on, since a topic can do well in one language and miss in the other.
    public struct Stream: Sendable {
        public var clearItems = 0
        public var falseAlerts = 0
        /// Clear positives per topic: (found, all).
        public var positives: [String: (found: Int, all: Int)] = [:]
        public var falseAlertsPerThousand: Double { clearItems == 0 ? 0 : Double(falseAlerts) * 1000 / Double(clearItems) }
    }
    public private(set) var streams: [String: Stream] = [:]
    public var falseAlertsPerThousand: Double { clearItems == 0 ? 0 : Double(falseAlerts.count) * 1000 / Double(clearItems) }
    public var clearPositiveRecall: Double { clearPositives == 0 ? 1 : Double(clearPositivesFound) / Double(clearPositives) }
    /// counts[mode][language or "all"][topic]
    public private(set) var counts: [Mode: [String: [String: Counts]]] = [:]
    public private(set) var misses: [Miss] = []
    public private(set) var itemCount = 0

    /// Reads JSON Lines; a bad line is an error naming its line number.
    public static func readItems(_ text: String, file: String) throws -> [Item] {
        var items: [Item] = []
        let decoder = JSONDecoder()
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do {
                items.append(try decoder.decode(Item.self, from: Data(trimmed.utf8)))
            } catch {
                throw EvaluationError(message: "\(file):\(n + 1): not a labeled item (\(error.localizedDescription))")
            }
        }
        return items
    }

    public init(classifier: Classifier, items: [Item]) {
        topics = classifier.topics.map(\.name)
        // A natural-stream file has no `lang`: its only rows are "all".
        languages = Array(Set(items.compactMap(\.lang))).sorted()
        for mode in Mode.allCases {
            var byLang: [String: [String: Counts]] = [:]
            for l in languages + ["all"] { byLang[l] = Dictionary(uniqueKeysWithValues: topics.map { ($0, Counts()) }) }
            counts[mode] = byLang
        }
        for item in items {
            itemCount += 1
            let c = classifier.classify(title: item.title, summary: item.summary, explain: true)
            let predicted = Set(c.topics)
            let expected = Set(item.topics)
            let lang = item.lang ?? "?"
            let ambiguous = item.ambiguous ?? false
            if !ambiguous {
                clearItems += 1
                streams[lang, default: Stream()].clearItems += 1
                for r in c.results where r.assigned && !expected.contains(r.name) {
                    falseAlerts.append(FalseAlert(id: item.id, lang: lang, topic: r.name, title: item.title, result: r))
                    streams[lang]!.falseAlerts += 1
                }
                for t in expected where topics.contains(t) {
                    clearPositives += 1
                    streams[lang]!.positives[t, default: (0, 0)].all += 1
                    if predicted.contains(t) {
                        clearPositivesFound += 1
                        streams[lang]!.positives[t]!.found += 1
                    } else if let r = c.results.first(where: { $0.name == t }) {
                        missedPositives.append(FalseAlert(id: item.id, lang: lang, topic: t, title: item.title, result: r))
                    }
                }
            }
            for topic in topics {
                let p = predicted.contains(topic)
                let e = expected.contains(topic)
                for mode in Mode.allCases {
                    if mode == .strict, ambiguous { continue }
                    for l in Set([lang, "all"]) where counts[mode]![l] != nil {
                        if p, e { counts[mode]![l]![topic]!.tp += 1 }
                        if mode == .lenient, ambiguous { continue }
                        if p, !e { counts[mode]![l]![topic]!.fp += 1 }
                        if !p, e { counts[mode]![l]![topic]!.fn += 1 }
                    }
                }
            }
            let relevant = predicted.intersection(topics) != expected.intersection(topics)
            if relevant {
                misses.append(
                    Miss(
                        id: item.id, lang: lang, title: item.title, expected: item.topics.sorted(),
                        predicted: c.topics, ambiguous: ambiguous, classification: c))
            }
        }
    }

    /// Mean F1 over the topics that have something to score (`Counts.scored`).
    public func macroF1(_ mode: Mode, language: String = "all") -> Double {
        guard let byTopic = counts[mode]?[language] else { return 0 }
        let scored = topics.compactMap { byTopic[$0] }.filter(\.scored)
        return scored.isEmpty ? 0 : scored.map(\.f1).reduce(0, +) / Double(scored.count)
    }

    public func counts(_ mode: Mode, language: String = "all", topic: String) -> Counts {
        counts[mode]?[language]?[topic] ?? Counts()
    }
}

public struct EvaluationError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Evaluation {
    /// One topic scored at one threshold (the others at theirs): how thresholds are chosen from data.
    public struct SweepPoint: Sendable {
        public var topic: String
        public var threshold: Double
        public var strict: Counts
        public var falseAlertsPerThousand: Double
    }

    /// Scores every topic at each of `thresholds`, all else unchanged.
    public static func sweep(topics: [TopicDefinition], items: [Item], thresholds: [Double]) -> [SweepPoint] {
        var out: [SweepPoint] = []
        for (i, topic) in topics.enumerated() where topic.enabled {
            for t in thresholds {
                var changed = topics
                changed[i].threshold = t
                let e = Evaluation(classifier: Classifier(topics: changed), items: items)
                out.append(
                    SweepPoint(
                        topic: topic.name, threshold: t, strict: e.counts(.strict, topic: topic.name),
                        falseAlertsPerThousand: e.falseAlertsPerThousand(topic: topic.name)))
            }
        }
        return out
    }

    public func falseAlertsPerThousand(topic: String) -> Double {
        clearItems == 0 ? 0 : Double(falseAlerts.count { $0.topic == topic }) * 1000 / Double(clearItems)
    }
}
