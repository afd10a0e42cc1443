/// Whether two reports tell one story: the verification after an LSH band lookup found a candidate
/// (docs/stories.md explains each threshold with the cases that set it).
///
/// 1. Another script, or conflicting facts (numbers, direction, weekday, month, funding series, ordinal,
///    quarter, half): never.
/// 2. Summaries of eight words or more on both sides that share under a fifth of their words: the
///    outlets tell different things under similar headlines (daily template pages).
/// 3. Short titles (under four content words) prove little: only identical titles with agreeing
///    summaries.
/// 4. Two reports from one feed are two entries the feed chose to publish: a series ("League Update:
///    Early Trades" / "League Update: The Early Leader") unless titles are nearly the same (Jaccard
///    ≥ 0.8) and so are summaries, where both have one (containment ≥ 0.6): a republished entry.
/// 5. Otherwise titles with Jaccard similarity ≥ 0.6; or one title inside the other (all of it and
///    Jaccard ≥ 0.4, or four fifths and Jaccard ≥ 0.5); or one wire lede (summary containment ≥ 0.8)
///    under related titles (Jaccard ≥ 0.25).
public enum StoryMatcher: Sendable {
    public struct Verdict: Sendable, Equatable {
        public var same: Bool
        /// Title Jaccard plus half the summary containment: ranks several matching candidates.
        public var score: Double
        public var reason: String
    }

    static let titleJaccard = 0.6
    static let titleContainment = [(containment: 1.0, jaccard: 0.4), (containment: 0.8, jaccard: 0.5)]
    static let sameFeed = (titleJaccard: 0.8, summaryContainment: 0.6)
    static let sharedLede = (containment: 0.8, titleJaccard: 0.25)
    static let summaryDisagreement = 0.2
    static let substantialSummary = 8
    static let shortTitle = 4

    public static func compare(_ a: StoryFingerprint, _ b: StoryFingerprint, sameFeed: Bool = false) -> Verdict {
        func no(_ reason: String, _ score: Double = 0) -> Verdict { Verdict(same: false, score: score, reason: reason) }
        guard a.script == b.script else { return no("scripts differ") }
        let t = Overlap(a.title, b.title)
        let bothSummaries = min(a.summary.count, b.summary.count) >= substantialSummary
        let s = bothSummaries ? Overlap(a.summary, b.summary) : nil
        let score = t.jaccard + 0.5 * (s?.containment ?? 0)
        if let conflict = a.facts.conflict(with: b.facts) { return no(conflict, score) }
        func yes(_ reason: String) -> Verdict { Verdict(same: true, score: score, reason: reason) }
        if let s, s.containment < summaryDisagreement { return no("summaries disagree", score) }
        if min(a.title.count, b.title.count) < shortTitle {
            return t.jaccard == 1 && (s?.containment ?? 0) >= 0.5 ? yes("same short title and lede") : no("short title", score)
        }
        if sameFeed {
            let agree =
                a.summary.isEmpty || b.summary.isEmpty
                || Overlap(a.summary, b.summary).containment >= Self.sameFeed.summaryContainment
            return t.jaccard >= Self.sameFeed.titleJaccard && agree
                ? yes("republished in one feed") : no("one feed's series", score)
        }
        if t.jaccard >= titleJaccard { return yes("titles alike") }
        if titleContainment.contains(where: { t.containment >= $0.containment && t.jaccard >= $0.jaccard }) {
            return yes("title inside title")
        }
        if let s, s.containment >= sharedLede.containment, t.jaccard >= sharedLede.titleJaccard { return yes("same lede") }
        return no("texts differ", score)
    }

    /// Overlap of two sorted sets of keys.
    struct Overlap {
        var jaccard: Double
        /// Shared keys over the smaller set.
        var containment: Double

        init(_ a: [UInt32], _ b: [UInt32]) {
            var i = 0
            var j = 0
            var shared = 0
            while i < a.count, j < b.count {
                if a[i] == b[j] {
                    shared += 1
                    i += 1
                    j += 1
                } else if a[i] < b[j] {
                    i += 1
                } else {
                    j += 1
                }
            }
            let union = a.count + b.count - shared
            jaccard = union == 0 ? 0 : Double(shared) / Double(union)
            let small = min(a.count, b.count)
            containment = small == 0 ? 0 : Double(shared) / Double(small)
        }
    }
}

extension StoryMatcher {
    /// The candidate that best tells the same story as `report`, if any does.
    /// Each candidate comes with whether it is from the report's own feed.
    public static func best<C>(
        for report: StoryFingerprint, among candidates: [(C, StoryFingerprint, sameFeed: Bool)]
    )
        -> (C, Verdict)?
    {
        var best: (C, Verdict)?
        for (c, fp, sameFeed) in candidates {
            let v = compare(report, fp, sameFeed: sameFeed)
            if v.same, v.score > best?.1.score ?? -1 { best = (c, v) }
        }
        return best
    }
}
