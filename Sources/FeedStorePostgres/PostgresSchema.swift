/// The tables of the SQLite state (SQLiteStateStore's migrations v1–v4), then the nodes of a cluster
/// (v4), in PostgreSQL's types: BIGINT for integers and Unix times, BOOLEAN for flags, BYTEA for payloads and fingerprints, TEXT with the
/// "C" collation for keys and ids (byte order, as SQLite sorts them, and cheaper to compare). Topic lists
/// stay comma-joined TEXT, as in SQLite, so that a state copies over column for column.
enum PostgresSchema {
    static let migrations: [PostgresMigrations.Migration] = [
        .init(
            version: 1, name: "feeds, entries, alerts",
            sql: [
                // lease_owner and lease_until: the node polling the feed and until when (FeedLeases).
                """
                CREATE TABLE feed (
                    key TEXT COLLATE "C" PRIMARY KEY, current_url TEXT NOT NULL, etag TEXT, last_modified TEXT,
                    next_poll BIGINT NOT NULL DEFAULT 0, not_before BIGINT NOT NULL DEFAULT 0,
                    error_streak BIGINT NOT NULL DEFAULT 0, last_error TEXT, last_result TEXT, last_poll BIGINT,
                    last_success BIGINT, last_new_entry BIGINT, gone BOOLEAN NOT NULL DEFAULT false, title TEXT,
                    polls BIGINT NOT NULL DEFAULT 0, config_hash TEXT NOT NULL DEFAULT '',
                    new_entry_gap BIGINT NOT NULL DEFAULT 0, silence_reported BOOLEAN NOT NULL DEFAULT false,
                    lease_owner TEXT, lease_until BIGINT
                )
                """,
                "CREATE INDEX feed_due ON feed (next_poll)",
                """
                CREATE TABLE entry (
                    feed_key TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, content_hash TEXT NOT NULL,
                    topics TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,
                    PRIMARY KEY (feed_key, key)
                )
                """,
                "CREATE INDEX entry_last_seen ON entry (last_seen)",
                """
                CREATE TABLE alert (
                    id TEXT COLLATE "C" PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'file' CHECK (kind IN ('file', 'log')),
                    feed_key TEXT COLLATE "C" NOT NULL, entry_key TEXT NOT NULL, created_at BIGINT NOT NULL,
                    file_name TEXT NOT NULL, payload BYTEA NOT NULL, log_line TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered')), delivered_at BIGINT
                )
                """,
                "CREATE INDEX alert_pending ON alert (created_at) WHERE state = 'pending'",
                "CREATE INDEX alert_feed ON alert (feed_key)",
            ]),
        .init(
            version: 2, name: "stories (docs/stories.md)",
            sql: [
                """
                CREATE TABLE story (
                    id TEXT COLLATE "C" PRIMARY KEY, alert_id TEXT NOT NULL, opened_at BIGINT NOT NULL, topics TEXT NOT NULL
                )
                """,
                "CREATE INDEX story_opened ON story (opened_at)",
                """
                CREATE TABLE story_source (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, story_id TEXT COLLATE "C" NOT NULL REFERENCES story(id),
                    feed_key TEXT COLLATE "C" NOT NULL, entry_key TEXT NOT NULL, at BIGINT NOT NULL, title TEXT, link TEXT,
                    role TEXT NOT NULL CHECK (role IN ('opened', 'joined', 'topic')),
                    UNIQUE (story_id, feed_key, entry_key)
                )
                """,
                "CREATE INDEX story_source_feed ON story_source (feed_key, role)",
                """
                CREATE TABLE story_print (
                    source BIGINT PRIMARY KEY REFERENCES story_source(id), opened_at BIGINT NOT NULL, fingerprint BYTEA NOT NULL
                )
                """,
                "CREATE INDEX story_print_age ON story_print (opened_at)",
                """
                CREATE TABLE story_band (
                    band BIGINT NOT NULL, opened_at BIGINT NOT NULL, source BIGINT NOT NULL, PRIMARY KEY (band, opened_at, source)
                )
                """,
            ]),
        .init(
            version: 3, name: "deliveries to sinks (webhook, exec)",
            sql: [
                """
                CREATE TABLE sink_delivery (
                    alert_id TEXT COLLATE "C" NOT NULL, sink TEXT COLLATE "C" NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
                    attempts BIGINT NOT NULL DEFAULT 0, next_attempt BIGINT NOT NULL, created_at BIGINT NOT NULL,
                    finished_at BIGINT, last_error TEXT, PRIMARY KEY (alert_id, sink)
                )
                """,
                "CREATE INDEX sink_due ON sink_delivery (sink, next_attempt) WHERE state = 'pending'",
            ]),
        .init(
            version: 4, name: "nodes, leases and the alerts each node delivers (docs/cluster.md)",
            sql: [
                """
                CREATE TABLE node (
                    name TEXT COLLATE "C" PRIMARY KEY, started_at BIGINT NOT NULL, last_seen BIGINT NOT NULL,
                    left_at BIGINT, polls BIGINT NOT NULL DEFAULT 0
                )
                """,
                // The feeds each node's configuration lists (`join` replaces them): a node claims only those.
                """
                CREATE TABLE node_feed (
                    node TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, PRIMARY KEY (node, key)
                )
                """,
                // The node that committed a pending alert delivers it; another adopts it once that node is gone.
                "ALTER TABLE alert ADD COLUMN node TEXT COLLATE \"C\"",
                // Claims read the due feeds in due order; a lease's holder and expiry are looked up by node.
                "CREATE INDEX feed_due_at ON feed ((greatest(next_poll, not_before))) WHERE NOT gone",
                "CREATE INDEX feed_lease ON feed (lease_owner) WHERE lease_until IS NOT NULL",
            ]),
        .init(
            version: 5, name: "sink deliveries fenced by their claim (issue 23)",
            sql: [
                // The claim a node took a delivery under (its result is recorded only under that claim), and
                // until when it holds it, on the database's clock.
                "ALTER TABLE sink_delivery ADD COLUMN claim BIGINT",
                "ALTER TABLE sink_delivery ADD COLUMN held_until BIGINT",
            ]),
        .init(
            version: 6, name: "digests, quiet hours and hourly caps (issue 24)",
            sql: [
                // Holds were whole seconds, which let a hold of n seconds lapse after n - 1: now milliseconds
                // (a hold of the old unit reads as long past).
                // When a held delivery is released into a digest (null: delivered on its own), and the digest
                // that took it.
                "ALTER TABLE sink_delivery ADD COLUMN release_at BIGINT",
                "ALTER TABLE sink_delivery ADD COLUMN digest_id TEXT COLLATE \"C\"",
                """
                CREATE INDEX sink_held ON sink_delivery (sink, release_at)
                    WHERE state = 'pending' AND digest_id IS NULL AND release_at IS NOT NULL
                """,
                "CREATE INDEX sink_queued ON sink_delivery (sink, created_at)",
                """
                CREATE TABLE sink_digest (
                    id TEXT COLLATE "C" PRIMARY KEY, sink TEXT COLLATE "C" NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
                    attempts BIGINT NOT NULL DEFAULT 0, next_attempt BIGINT NOT NULL, created_at BIGINT NOT NULL,
                    period_from BIGINT NOT NULL, period_to BIGINT NOT NULL, count BIGINT NOT NULL,
                    payload BYTEA NOT NULL, finished_at BIGINT, last_error TEXT, claim BIGINT, held_until BIGINT
                )
                """,
                "CREATE INDEX digest_due ON sink_digest (sink, next_attempt) WHERE state = 'pending'",
            ]),
        .init(
            version: 7, name: "each feed's learned schedule (issue 25)",
            sql: [
                "ALTER TABLE feed ADD COLUMN poll_interval BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE feed ADD COLUMN interval_reason TEXT",
                "ALTER TABLE feed ADD COLUMN entry_gap BIGINT NOT NULL DEFAULT 0",
            ]),
        .init(
            version: 8, name: "WebSub subscriptions (issue 25)",
            sql: [
                """
                CREATE TABLE websub (
                    feed_key TEXT COLLATE "C" PRIMARY KEY, hub TEXT NOT NULL, topic TEXT NOT NULL,
                    token TEXT COLLATE "C" NOT NULL UNIQUE, secret TEXT NOT NULL, state TEXT NOT NULL,
                    requested_at BIGINT NOT NULL, lease_seconds BIGINT NOT NULL, lease_until BIGINT NOT NULL,
                    last_push BIGINT, missed BOOLEAN NOT NULL DEFAULT false, last_error TEXT
                )
                """
            ]),
    ]
}
