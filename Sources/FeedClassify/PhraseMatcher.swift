/// All vocabulary phrases compiled into one trie over token ids: a text is scanned once, trying every
/// start position, with each token offering its few candidate forms (surface, stem, without proclitic).
/// Thousands of phrases cost the same scan; no regular expressions.
struct PhraseMatcher {
    /// Phrase ids of the trie node reached, keyed by node, while phrases are added.
    private var outputs: [Int32: [Int32]] = [:]
    /// The same, flat for matching (`seal()`): node n's phrases are `outputList[outputStart[n]..<outputStart[n + 1]]`.
    private var outputStart: [Int32] = []
    private var outputList: [Int32] = []
    /// (node << 32 | token id) → child node.
    private var transitions = U64Map()
    private var vocabulary = U64Map()
    private var nodeCount: Int32 = 1
    private(set) var phraseCount: Int32 = 0
    /// The longest phrase, in tokens.
    private(set) var maxLength = 0
    /// Whether some phrase has a verb-core key (text tokens then offer theirs too).
    var hasVerbs = false

    /// Adds a phrase (already tokenized) and returns its id.
    mutating func add(_ keys: [UInt64]) -> Int32 {
        var node: Int32 = 0
        for k in keys {
            let id: Int32
            if let existing = vocabulary.get(k) {
                id = existing
            } else {
                id = Int32(vocabulary.count)
                vocabulary.set(k, id)
            }
            let edge = UInt64(UInt32(node)) << 32 | UInt64(UInt32(id))
            if let next = transitions.get(edge) {
                node = next
            } else {
                transitions.set(edge, nodeCount)
                node = nodeCount
                nodeCount += 1
            }
        }
        let phrase = phraseCount
        phraseCount += 1
        outputs[node, default: []].append(phrase)
        maxLength = max(maxLength, keys.count)
        return phrase
    }

    /// Lays the phrases of each node out flat, so matching looks them up by index, not by hashing. Call
    /// once after the last `add`.
    mutating func seal() {
        outputStart = []
        outputList = []
        outputStart.reserveCapacity(Int(nodeCount) + 1)
        for node in 0..<nodeCount {
            outputStart.append(Int32(outputList.count))
            outputList.append(contentsOf: outputs[node] ?? [])
        }
        outputStart.append(Int32(outputList.count))
        outputs = [:]  // the flat arrays hold it all now
    }

    struct Match {
        var phrase: Int32
        var start: Int
        var end: Int
    }

    /// Working arrays of `matches`, kept between calls so a classification allocates none of them.
    struct Scratch {
        var ids: [Int32] = []
        var counts: [Int] = []
        var keys: [UInt64] = []
        var states: [Int32] = []
        var next: [Int32] = []
    }

    /// Finds every phrase occurrence in `tokens[range]`.
    func matches(
        _ scalars: [UInt32], _ tokens: [Normalizer.Token], _ range: Range<Int>, into out: inout [Match],
        scratch: inout Scratch
    ) {
        // Candidate ids per token, computed once, in a flat array of `slots` per token.
        let slots = 6
        let n = range.count
        guard n > 0 else { return }
        scratch.ids.removeAll(keepingCapacity: true)
        scratch.ids.append(contentsOf: repeatElement(-1, count: n * slots))
        scratch.counts.removeAll(keepingCapacity: true)
        scratch.counts.append(contentsOf: repeatElement(0, count: n))
        var any = false
        for (k, t) in range.enumerated() {
            TokenKeys.candidates(scalars, tokens[t], verbs: hasVerbs, into: &scratch.keys)
            for key in scratch.keys {
                guard let id = vocabulary.get(key) else { continue }
                let base = k * slots
                let count = scratch.counts[k]
                if count < slots, !scratch.ids[base..<(base + count)].contains(id) {
                    scratch.ids[base + count] = id
                    scratch.counts[k] += 1
                    any = true
                }
            }
        }
        guard any else { return }
        let ids = scratch.ids
        let counts = scratch.counts
        for i in 0..<n where counts[i] > 0 {
            scratch.states.removeAll(keepingCapacity: true)
            scratch.states.append(0)
            var j = i
            while j < n, !scratch.states.isEmpty, j - i < maxLength {
                scratch.next.removeAll(keepingCapacity: true)
                for s in scratch.states {
                    for c in 0..<counts[j] {
                        let id = ids[j * slots + c]
                        if let child = transitions.get(UInt64(UInt32(s)) << 32 | UInt64(UInt32(id))),
                            !scratch.next.contains(child)
                        {
                            scratch.next.append(child)
                            for k in Int(outputStart[Int(child)])..<Int(outputStart[Int(child) + 1]) {
                                out.append(
                                    Match(phrase: outputList[k], start: range.lowerBound + i, end: range.lowerBound + j + 1))
                            }
                        }
                    }
                }
                swap(&scratch.states, &scratch.next)
                j += 1
            }
        }
    }
}
