/// MinHash signatures and their LSH band keys (Broder 1997; Leskovec, Rajaraman & Ullman, "Mining of
/// Massive Datasets" §3.4). Two sets with Jaccard similarity s share at least one band key with
/// probability 1 − (1 − s^rows)^bands, so candidates are found by looking band keys up in an index,
/// never by scanning every recent story.
enum MinHash {
    /// The band keys of `set` (empty for an empty set). `family` keeps the keys of different signatures
    /// (title, summary) apart in one index.
    static func bandKeys(_ set: [UInt32], bands: Int, rows: Int, family: UInt64) -> [Int64] {
        guard !set.isEmpty else { return [] }
        let n = bands * rows
        var mins = [UInt64](repeating: .max, count: n)
        for x in set {
            let h = mix(UInt64(x) &+ 0x9E37_79B9_7F4A_7C15)
            for i in 0..<n {
                let v = mix(h ^ seed(family, i))
                if v < mins[i] { mins[i] = v }
            }
        }
        return (0..<bands).map { b in
            var h = mix(family << 32 | UInt64(b))
            for r in 0..<rows { h = mix(h ^ mins[b * rows + r]) }
            return Int64(bitPattern: h)
        }
    }

    /// One hash function of the family per index: a fixed seed XORed in before mixing.
    @inline(__always)
    static func seed(_ family: UInt64, _ i: Int) -> UInt64 { mix(family &* 0x1_0000 &+ UInt64(i) &+ 1) }

    /// SplitMix64's finalizer (Steele, Lea & Flood 2014): a fast 64-bit mix with full avalanche.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
