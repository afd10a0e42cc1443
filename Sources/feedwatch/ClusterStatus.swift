import FeedCore
import FeedStore

/// The nodes of a shared state, for `status`: who is alive, what each holds, and the feeds whose lease
/// ran out without a poll (their node died or lost the database).
struct ClusterStatus {
    var url: String
    var lease: Int
    var nodes: [NodeStatus]
    var expired: [ExpiredLease]

    var running: Bool { nodes.contains(where: \.alive) }
    var signOfLife: Int64? { nodes.map(\.lastSeen).max() }

    /// `daemon: 2 of 3 node(s) alive on postgresql://…`.
    var headline: String {
        "daemon: \(nodes.filter(\.alive).count) of \(nodes.count) node(s) alive on \(url)"
    }

    /// A lease that ran out more than a lease ago: no node has taken the feed over.
    func problems(now: Int64) -> [String] {
        let stuck = expired.filter { now - $0.expiredAt > Int64(lease) }
        guard !stuck.isEmpty else { return [] }
        return ["\(stuck.count) feed(s) not polled since their lease expired (first: \(URLRedaction.redact(stuck[0].key)))"]
    }

    func table(now: Int64) -> String {
        var lines = ["NODE  LAST SEEN  POLLS  LEASED  STATE"]
        for n in nodes {
            let state = n.leftAt != nil ? "stopped" : n.alive ? "alive" : "silent (its leases run out)"
            lines.append(
                "\(n.name)  \(DurationText.format(Int(max(0, now - n.lastSeen)))) ago  \(n.polls)  \(n.leased)  \(state)")
        }
        for e in expired {
            let ago = DurationText.format(Int(max(0, now - e.expiredAt)))
            lines.append("lease expired without a poll: \(URLRedaction.redact(e.key)) (node \(e.owner), \(ago) ago)")
        }
        return lines.joined(separator: "\n")
    }

    func write(to w: inout JSONWriter) {
        w.key("nodes")
        w.beginArray()
        for n in nodes {
            w.beginObject()
            w.field("name", n.name)
            w.field("started", Timestamp(secondsSinceEpoch: n.startedAt).iso8601)
            w.field("last_seen", Timestamp(secondsSinceEpoch: n.lastSeen).iso8601)
            w.field("stopped", n.leftAt.map { Timestamp(secondsSinceEpoch: $0).iso8601 })
            w.field("polls", n.polls)
            w.field("leased", n.leased)
            w.field("alive", n.alive)
            w.endObject()
        }
        w.endArray()
        w.key("expired_leases")
        w.beginArray()
        for e in expired {
            w.beginObject()
            w.field("feed", e.key)
            w.field("node", e.owner)
            w.field("expired", Timestamp(secondsSinceEpoch: e.expiredAt).iso8601)
            w.endObject()
        }
        w.endArray()
    }
}
