/// RFC 3986 §5 reference resolution, in plain Swift: links in feeds are resolved against `xml:base`
/// and the document URL on every entry, so this must be cheap and must never throw on odd input.
public enum URLResolver: Sendable {
    /// Resolves `reference` against `base`. Returns the reference unchanged when it is already absolute,
    /// when there is no usable base, or when the base itself is not absolute.
    public static func resolve(_ reference: String, against base: String?) -> String {
        let ref = trimmed(reference)
        // Most links in feeds are already absolute: say so without parsing either side.
        if hasScheme(ref) { return ref }
        guard let base, let b = Parts(trimmed(base)), b.scheme != nil else { return ref }
        guard let r = Parts(ref) else { return ref }
        if r.scheme != nil { return ref }
        var t = Parts()
        t.scheme = b.scheme
        if r.authority != nil {
            t.authority = r.authority
            t.path = removeDotSegments(r.path)
            t.query = r.query
        } else {
            if r.path.isEmpty {
                t.path = b.path
                t.query = r.query ?? b.query
            } else {
                if r.path.hasPrefix("/") {
                    t.path = removeDotSegments(r.path)
                } else {
                    t.path = removeDotSegments(merge(base: b, path: r.path))
                }
                t.query = r.query
            }
            t.authority = b.authority
        }
        t.fragment = r.fragment
        return t.joined
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"` at the start, as `Parts` reads a scheme.
    private static func hasScheme(_ s: String) -> Bool {
        var bytes = s.utf8.makeIterator()
        guard let first = bytes.next(), (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A else { return false }
        while let b = bytes.next() {
            switch b {
            case 0x3A: return true
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2B, 0x2D, 0x2E: continue
            default: return false
            }
        }
        return false
    }

    private static func trimmed(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars
        while let f = scalars.first, PlainText.isSpace(f) { scalars.removeFirst() }
        while let l = scalars.last, PlainText.isSpace(l) { scalars.removeLast() }
        return String(scalars)
    }

    struct Parts {
        var scheme: String?
        var authority: String?
        var path = ""
        var query: String?
        var fragment: String?

        init() {}

        init?(_ s: String) {
            var rest = Substring(s)
            if let hash = rest.firstIndex(of: "#") {
                fragment = String(rest[rest.index(after: hash)...])
                rest = rest[..<hash]
            }
            if let q = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: q)...])
                rest = rest[..<q]
            }
            if let colon = rest.firstIndex(of: ":"), colon != rest.startIndex {
                let candidate = rest[..<colon]
                let ok =
                    candidate.first!.isASCII && candidate.first!.isLetter
                    && candidate.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
                if ok {
                    scheme = candidate.lowercased()
                    rest = rest[rest.index(after: colon)...]
                }
            }
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(of: "/") ?? rest.endIndex
                authority = String(rest[..<end])
                rest = rest[end...]
            }
            path = String(rest)
        }

        var joined: String {
            var s = ""
            if let scheme { s += scheme + ":" }
            if let authority { s += "//" + authority }
            s += path
            if let query { s += "?" + query }
            if let fragment { s += "#" + fragment }
            return s
        }
    }

    private static func merge(base: Parts, path: String) -> String {
        if base.authority != nil, base.path.isEmpty { return "/" + path }
        if let slash = base.path.lastIndex(of: "/") { return base.path[...slash] + path }
        return path
    }

    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        var absolute = false
        if input.hasPrefix("/") { absolute = true }
        let segments = input.split(separator: "/", omittingEmptySubsequences: false)
        input = ""
        var trailingSlash = false
        for (i, seg) in segments.enumerated() {
            if i == 0, absolute { continue }
            let last = i == segments.count - 1
            switch seg {
            case ".":
                if last { trailingSlash = true }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if last { trailingSlash = true }
            default:
                output.append(seg)
            }
        }
        var result = (absolute ? "/" : "") + output.joined(separator: "/")
        if trailingSlash, !result.hasSuffix("/") { result += "/" }
        return result
    }
}
