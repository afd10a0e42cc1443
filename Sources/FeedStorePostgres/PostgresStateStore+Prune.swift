public import FeedStore
import PostgresNIO

/// Bounding the state, as `SQLiteStateStore.prune` does, in one transaction.
extension PostgresStateStore {
    public func prune(entriesUnlistedSince: Int64, alertsDeliveredBefore: Int64) async throws -> PruneReport {
        let logger = logger
        return try await transaction { c in
            /// The number of rows `statement` (a DELETE or UPDATE … RETURNING 1) touched.
            func count(_ statement: PostgresQuery) async throws -> Int {
                let query = PostgresQuery(
                    unsafeSQL: "WITH d AS (\(statement.sql)) SELECT count(*) FROM d", binds: statement.binds)
                for try await n in try await c.query(query, logger: logger).decode(Int.self) { return n }
                return 0
            }
            var report = PruneReport()
            report.entries = try await count("DELETE FROM entry WHERE last_seen < \(entriesUnlistedSince) RETURNING 1")
            // A payload a sink still has to deliver is kept until the sink is done with it.
            report.payloads = try await count(
                """
                UPDATE alert SET payload = ''::bytea, log_line = '' WHERE state = 'delivered'
                AND delivered_at < \(alertsDeliveredBefore) AND length(payload) > 0
                AND id NOT IN (SELECT alert_id FROM sink_delivery WHERE state = 'pending') RETURNING 1
                """)
            try await c.query(
                "DELETE FROM sink_delivery WHERE state != 'pending' AND finished_at < \(alertsDeliveredBefore)",
                logger: logger)
            try await c.query(
                "DELETE FROM sink_digest WHERE state != 'pending' AND finished_at < \(alertsDeliveredBefore)",
                logger: logger)
            // Sources before stories; fingerprints and band keys before the sources they point at.
            let old: PostgresQuery = """
                SELECT ss.id FROM story_source ss JOIN story s ON s.id = ss.story_id
                WHERE s.opened_at < \(alertsDeliveredBefore)
                """
            for table in ["story_band", "story_print"] {
                try await c.query(
                    PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE source IN (\(old.sql))", binds: old.binds),
                    logger: logger)
            }
            try await c.query(
                """
                DELETE FROM story_source WHERE story_id IN (SELECT id FROM story WHERE opened_at < \(alertsDeliveredBefore))
                """, logger: logger)
            report.stories = try await count("DELETE FROM story WHERE opened_at < \(alertsDeliveredBefore) RETURNING 1")
            return report
        }
    }
}
