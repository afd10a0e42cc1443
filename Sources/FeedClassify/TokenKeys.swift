/// 64-bit FNV-1a keys for token forms, so matching never builds a String per token.
enum TokenKeys {
    /// A stemmed form (topic vocabulary) or a surface form (names).
    enum Kind: UInt64 {
        case stem = 0x5354
        case surface = 0x4E4D
    }

    @inline(__always)
    static func key(_ kind: Kind, _ s: [UInt32], _ r: Range<Int>, extra: [UInt32]? = nil) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ kind.rawValue
        for i in r { h = (h ^ UInt64(s[i])) &* 0x0000_0100_0000_01B3 }
        if let extra { for v in extra { h = (h ^ UInt64(v)) &* 0x0000_0100_0000_01B3 } }
        return h
    }

    /// Every form under which a text token may match a vocabulary entry (at most six).
    static func candidates(_ s: [UInt32], _ t: Normalizer.Token, into out: inout [UInt64]) {
        out.removeAll(keepingCapacity: true)
        let r = t.start..<t.end
        switch t.script {
        case .latin:
            out.append(key(.surface, s, r))
            let (stem, extra) = Stemmer.english(s, r)
            out.append(key(.stem, s, stem, extra: extra))
        case .digit, .symbol:
            out.append(key(.surface, s, r))
            out.append(key(.stem, s, r))
        case .arabic:
            out.append(key(.surface, s, r))
            out.append(key(.stem, s, Stemmer.arabic(s, r)))
            if let bare = Stemmer.withoutArticle(s, r) { out.append(key(.surface, s, bare)) }
            if let bare = Stemmer.withoutProclitic(s, r) {
                out.append(key(.surface, s, bare))
                out.append(key(.stem, s, Stemmer.arabic(s, bare)))
                if let inner = Stemmer.withoutArticle(s, bare) { out.append(key(.surface, s, inner)) }
            }
        }
    }

    /// The one form a vocabulary token is stored under.
    static func vocabularyKey(_ s: [UInt32], _ t: Normalizer.Token, stemmed: Bool) -> UInt64 {
        let r = t.start..<t.end
        guard stemmed else { return key(.surface, s, r) }
        switch t.script {
        case .latin:
            let (stem, extra) = Stemmer.english(s, r)
            return key(.stem, s, stem, extra: extra)
        case .arabic: return key(.stem, s, Stemmer.arabic(s, r))
        case .digit, .symbol: return key(.stem, s, r)
        }
    }
}
