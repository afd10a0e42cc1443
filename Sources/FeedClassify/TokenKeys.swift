/// 64-bit FNV-1a keys for token forms, so matching never builds a String per token.
enum TokenKeys {
    /// A stemmed form (topic vocabulary) or a surface form (names).
    enum Kind: UInt64 {
        case stem = 0x5354
        case surface = 0x4E4D
        /// A verb core (`VerbStemmer`): only `verbs:` entries are stored under it.
        case verb = 0x5642
    }

    /// How a vocabulary entry is matched: stemmed (terms), as written (names) or as a verb (verbs).
    enum Form: Sendable { case stem, surface, verb }

    @inline(__always)
    static func key(_ kind: Kind, _ s: [UInt32], _ r: Range<Int>, extra: [UInt32]? = nil) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ kind.rawValue
        for i in r { h = (h ^ UInt64(s[i])) &* 0x0000_0100_0000_01B3 }
        if let extra { for v in extra { h = (h ^ UInt64(v)) &* 0x0000_0100_0000_01B3 } }
        return h
    }

    /// Every form under which a text token may match a vocabulary entry. `verbs` says whether any
    /// vocabulary entry is a verb (otherwise verb cores are not worth computing).
    static func candidates(_ s: [UInt32], _ t: Normalizer.Token, verbs: Bool, into out: inout [UInt64]) {
        out.removeAll(keepingCapacity: true)
        let r = t.start..<t.end
        switch t.script {
        case .latin:
            out.append(key(.surface, s, r))
            let (stem, extra) = Stemmer.english(s, r)
            out.append(key(.stem, s, stem, extra: extra))
            if verbs, r.count >= 3 { out.append(verbKey(s, t)) }  // no verb is shorter (to, of, a)
        case .digit, .symbol:
            out.append(key(.surface, s, r))
            out.append(key(.stem, s, r))
        case .arabic:
            out.append(key(.surface, s, r))
            out.append(key(.stem, s, Stemmer.arabic(s, r)))
            if verbs, r.count >= 3 { out.append(verbKey(s, t)) }
            // The accusative alef of tanween (هبوطاً، قياسياً، ذهباً): harakat are gone, the alef stays.
            if r.count >= 4, s[r.upperBound - 1] == Stemmer.alef, s[r.upperBound - 2] != Stemmer.waw,
                s[r.upperBound - 2] != Stemmer.alef
            {
                out.append(key(.stem, s, Stemmer.arabic(s, r.lowerBound..<(r.upperBound - 1))))
            }
            if let bare = Stemmer.withoutArticle(s, r) { out.append(key(.surface, s, bare)) }
            if let bare = Stemmer.withoutProclitic(s, r) {
                out.append(key(.surface, s, bare))
                out.append(key(.stem, s, Stemmer.arabic(s, bare)))
                if let inner = Stemmer.withoutArticle(s, bare) { out.append(key(.surface, s, inner)) }
            }
        }
    }

    /// The one form a vocabulary token is stored under.
    static func vocabularyKey(_ s: [UInt32], _ t: Normalizer.Token, form: Form) -> UInt64 {
        let r = t.start..<t.end
        if form == .surface { return key(.surface, s, r) }
        if form == .verb, t.script == .arabic || t.script == .latin { return verbKey(s, t) }
        switch t.script {
        case .latin:
            let (stem, extra) = Stemmer.english(s, r)
            return key(.stem, s, stem, extra: extra)
        case .arabic: return key(.stem, s, Stemmer.arabic(s, r))
        case .digit, .symbol: return key(.stem, s, r)
        }
    }

    /// The verb-core key of an Arabic or Latin token.
    @inline(__always)
    static func verbKey(_ s: [UInt32], _ t: Normalizer.Token) -> UInt64 {
        let r = t.start..<t.end
        if t.script == .arabic { return key(.verb, s, VerbStemmer.arabic(s, r)) }
        let (core, y) = VerbStemmer.english(s, r)
        return key(.verb, s, core, extra: y ? yExtra : nil)
    }

    private static let yExtra: [UInt32] = [0x79]
}
