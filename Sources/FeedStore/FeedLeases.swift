/// Several `feedwatch run` nodes sharing one state (docs/cluster.md): a feed is polled by the node that
/// holds its lease, so no feed is polled by two nodes in the same interval, and a node that dies loses
/// its leases when they expire. Implemented by the PostgreSQL store; the SQLite state belongs to one
/// daemon (its lock file) and needs none of this.
public protocol FeedLeases: Sendable {
    /// Who this node is, and how long its leases last.
    var node: ClusterNode { get }
    /// Announces the node (or says it is still alive) with the feeds it polls (its enabled feeds, which
    /// replace those of an earlier join), and gives every one the state lacks a row: the first due at
    /// `now`, each next one `spacing(count of new feeds)` later (Unix milliseconds), so that a fresh
    /// state is spread out and a feed added on reload is polled at once. A feed whose configuration entry
    /// changed is made due now, as a single daemon polls an edited feed at once.
    func join(_ feeds: [FeedSeed], now: Int64, spacing: (Int) -> Int64) async throws
    /// Leases up to `limit` of the node's feeds that no live lease holds, earliest due first, and returns
    /// their state: only the feeds due now when `dueOnly`, else every one that is not gone (`once`).
    func claim(limit: Int, dueOnly: Bool) async throws -> [FeedState]
    /// Refreshes the node's `last_seen` and extends its leases on `keys` (the polls it is running) by a
    /// lease from now. A lease not renewed runs out: a poll that failed is retried a lease later.
    func renew(_ keys: [String]) async throws
    /// Gives up the leases on `keys` without a poll (a poll cancelled at shutdown or on reload): another
    /// node may take them at once.
    func release(_ keys: [String]) async throws
    /// A clean stop: every lease given up, the node marked gone, its pending alerts free for others.
    func leave() async throws
    /// Nodes seen within the last day, and what each holds; a node is alive when it was seen within
    /// `lease` seconds (the lease its leases last).
    func nodes(lease: Int) async throws -> [NodeStatus]
    /// Feeds whose lease expired without a poll releasing it (their node died or was cut off).
    func expiredLeases() async throws -> [ExpiredLease]
}

/// A node of a cluster: its name (`cluster.node`) and its lease length in seconds (`cluster.lease`).
public struct ClusterNode: Sendable, Equatable {
    public var name: String
    public var lease: Int

    public init(name: String, lease: Int) {
        self.name = name
        self.lease = lease
    }
}

/// A configured feed as `join` needs it.
public struct FeedSeed: Sendable, Equatable {
    public var key: String
    public var configHash: String

    public init(key: String, configHash: String) {
        self.key = key
        self.configHash = configHash
    }
}

public struct NodeStatus: Sendable, Equatable {
    public var name: String
    public var startedAt: Int64
    public var lastSeen: Int64
    /// When it stopped cleanly, if it did.
    public var leftAt: Int64?
    /// Polls it has committed since it first joined.
    public var polls: Int
    /// Leases it holds now.
    public var leased: Int
    /// Whether it renewed within a lease: a node silent for longer has lost its leases.
    public var alive: Bool

    public init(name: String, startedAt: Int64, lastSeen: Int64, leftAt: Int64?, polls: Int, leased: Int, alive: Bool) {
        self.name = name
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.leftAt = leftAt
        self.polls = polls
        self.leased = leased
        self.alive = alive
    }
}

public struct ExpiredLease: Sendable, Equatable {
    public var key: String
    public var owner: String
    public var expiredAt: Int64

    public init(key: String, owner: String, expiredAt: Int64) {
        self.key = key
        self.owner = owner
        self.expiredAt = expiredAt
    }
}
