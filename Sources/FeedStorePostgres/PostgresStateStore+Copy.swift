public import FeedStore
import NIOCore
import PostgresNIO

/// `feedwatch state copy`: a whole state loaded into an empty PostgreSQL state in one transaction, so
/// that a copy either happened completely or not at all, and running it twice cannot load anything twice
/// (the second finds the state no longer empty).
extension PostgresStateStore {
    /// Rows per INSERT: well under PostgreSQL's 65,535 parameters per statement.
    static let copyParameters = 20_000

    /// Reads every table of `source`, then loads them; returns the rows loaded per table, in table order.
    public func load(from source: any StateDumping) async throws -> [(table: String, rows: Int)] {
        var dumped: [(StateTable, [[StateValue]])] = []
        for table in StateTable.all { dumped.append((table, try await source.rows(of: table))) }
        let logger = logger
        return try await transaction { c in
            // Nodes claiming now would find their feeds changing under them: the copy is for a state no
            // node uses yet, and it says so rather than merging two histories.
            try await c.query("LOCK TABLE feed IN EXCLUSIVE MODE", logger: logger)
            let existing = try await c.query("SELECT count(*) FROM feed", logger: logger).decode(Int.self)
                .reduce(0) { $1 }
            guard existing == 0 else {
                throw PostgresStoreError(
                    code: .notEmpty, message: "the PostgreSQL state already holds \(existing) feed(s); copy into an empty one")
            }
            var out: [(table: String, rows: Int)] = []
            for (table, rows) in dumped {
                let batch = max(1, Self.copyParameters / table.columns.count)
                for start in stride(from: 0, to: rows.count, by: batch) {
                    try await c.query(Self.insert(table, rows[start..<min(rows.count, start + batch)]), logger: logger)
                }
                if let identity = table.identity, !rows.isEmpty {
                    try await c.query(
                        PostgresQuery(
                            unsafeSQL:
                                "SELECT setval(pg_get_serial_sequence('\(table.name)', '\(identity)'), (SELECT max(\(identity)) FROM \(table.name)))"
                        ), logger: logger)
                }
                out.append((table.name, rows.count))
            }
            return out
        }
    }

    /// One multi-row INSERT of `rows` into `table`.
    static func insert(_ table: StateTable, _ rows: ArraySlice<[StateValue]>) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: rows.count * table.columns.count)
        var tuples: [String] = []
        var n = 0
        for row in rows {
            var placeholders: [String] = []
            for (column, value) in zip(table.columns, row) {
                n += 1
                placeholders.append(table.booleans.contains(column) ? "($\(n)::bigint <> 0)" : "$\(n)")
                switch value {
                case .null: bindings.appendNull()
                case .integer(let v): bindings.append(v)
                case .text(let v): bindings.append(v)
                case .blob(let v): bindings.append(ByteBuffer(bytes: v))
                }
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        let overriding = table.identity == nil ? "" : " OVERRIDING SYSTEM VALUE"
        return PostgresQuery(
            unsafeSQL: "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", ")))\(overriding) VALUES "
                + tuples.joined(separator: ", "), binds: bindings)
    }
}

extension PostgresStateStore: StateDumping {
    /// Every row of `table` as SQLite holds it (booleans as 0 and 1), so the two backends compare.
    public func rows(of table: StateTable) async throws -> [[StateValue]] {
        var out: [[StateValue]] = []
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name)"), logger: logger)
        for try await row in rows {
            var values: [StateValue] = []
            for cell in row {
                guard cell.bytes != nil else {
                    values.append(.null)
                    continue
                }
                switch cell.dataType {
                case .int8, .int4, .int2: values.append(.integer(try cell.decode(Int64.self)))
                case .bool: values.append(.integer(try cell.decode(Bool.self) ? 1 : 0))
                case .bytea: values.append(.blob(Array(try cell.decode(ByteBuffer.self).readableBytesView)))
                default: values.append(.text(try cell.decode(String.self)))
                }
            }
            out.append(values)
        }
        return out
    }
}
