#if canImport(Glibc)
import Glibc
#endif

/// Which addresses a feed may be fetched from (reliability.md §3). The check runs on the address curl is
/// about to connect to (OPENSOCKETFUNCTION) and again before each request on a reused connection or a
/// redirect hop (PREREQFUNCTION), so DNS rebinding and alternate IP spellings cannot slip past it.
public struct AddressPolicy: Sendable {
    /// An IPv4 or IPv6 network in CIDR form.
    public struct Network: Sendable, Equatable {
        public var bytes: [UInt8]
        public var prefix: Int

        public init?(_ cidr: String) {
            let parts = cidr.split(separator: "/", maxSplits: 1)
            guard let addr = AddressPolicy.parse(String(parts[0])) else { return nil }
            bytes = addr
            prefix = parts.count == 2 ? Int(parts[1]) ?? -1 : addr.count * 8
            guard (0...(addr.count * 8)).contains(prefix) else { return nil }
        }

        func contains(_ a: [UInt8]) -> Bool {
            guard a.count == bytes.count else { return false }
            var bits = prefix
            for i in 0..<a.count where bits > 0 {
                let take = min(8, bits)
                let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
                if a[i] & mask != bytes[i] & mask { return false }
                bits -= take
            }
            return true
        }
    }

    /// IANA special-purpose ranges: loopback, private, link-local (cloud metadata), CGNAT, documentation,
    /// benchmarking, multicast, reserved, and their IPv6 counterparts.
    public static let specialPurpose: [Network] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "100::/64", "2001:db8::/32",
    ].compactMap(Network.init)

    public var blocked: [Network]
    /// When true nothing is blocked (`fetch.allow_private_networks`, or a feed that opts in).
    public var allowAll: Bool
    /// The setting that lets a refused address through, in the words of the place that made the
    /// request: a feed's `allow_private`, a sink's, the command line's `--allow-private-networks`.
    /// Advice for another place would be wrong, or would turn the protection off for everything.
    public var remedy: String

    public init(
        blocked: [Network] = AddressPolicy.specialPurpose, allowAll: Bool = false,
        remedy: String = "allow private networks to fetch it"
    ) {
        self.blocked = blocked
        self.allowAll = allowAll
        self.remedy = remedy
    }

    /// Everything allowed, or the special-purpose ranges refused with `remedy` as the advice.
    public static func allowing(_ everything: Bool, remedy: String) -> AddressPolicy {
        everything ? .allowEverything : AddressPolicy(remedy: remedy)
    }

    public static let allowEverything = AddressPolicy(blocked: [], allowAll: true)

    /// The advice for a feed of the configuration.
    public static let feedRemedy =
        "set allow_private: true on this feed to fetch it (fetch.allow_private_networks would allow it for every feed)"
    /// The advice for the commands that read no configuration (`fetch`, `feeds discover`).
    public static let commandLineRemedy = "pass --allow-private-networks to fetch it"

    /// The advice for a sink of the configuration.
    public static func sinkRemedy(_ name: String) -> String { "set allow_private: true on sink '\(name)' to reach it" }

    /// Nil when the address may be used, else why not.
    public func refusal(for address: [UInt8]) -> String? {
        if allowAll { return nil }
        let a = AddressPolicy.unwrapEmbeddedIPv4(address)
        for n in blocked where n.contains(a) || n.contains(address) {
            return
                "address is in a blocked range (\(AddressPolicy.format(n.bytes))/\(n.prefix)); \(remedy)"
        }
        return nil
    }

    /// The blocked range (`127.0.0.0/8`) that an address written as text falls in; nil when it is
    /// allowed or is not an address (a host name).
    public func blockedRange(ofLiteral text: String) -> String? {
        guard !allowAll, let address = AddressPolicy.parse(text) else { return nil }
        let a = AddressPolicy.unwrapEmbeddedIPv4(address)
        return blocked.first { $0.contains(a) || $0.contains(address) }.map { "\(AddressPolicy.format($0.bytes))/\($0.prefix)" }
    }

    public func refusal(for text: String) -> String? {
        guard let a = AddressPolicy.parse(text) else { return allowAll ? nil : "unparseable address" }
        return refusal(for: a)
    }

    /// IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::) embeddings.
    static func unwrapEmbeddedIPv4(_ a: [UInt8]) -> [UInt8] {
        guard a.count == 16 else { return a }
        if a[0..<10].allSatisfy({ $0 == 0 }), a[10] == 0xFF, a[11] == 0xFF { return Array(a[12..<16]) }
        if a[0] == 0x00, a[1] == 0x64, a[2] == 0xFF, a[3] == 0x9B, a[4..<12].allSatisfy({ $0 == 0 }) { return Array(a[12..<16]) }
        if a[0] == 0x20, a[1] == 0x02 { return Array(a[2..<6]) }
        return a
    }

    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }

    static func format(_ a: [UInt8]) -> String {
        if a.count == 4 { return a.map(String.init).joined(separator: ".") }
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: a) }
        _ = inet_ntop(AF_INET6, &v6, &buf, socklen_t(buf.count))
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
