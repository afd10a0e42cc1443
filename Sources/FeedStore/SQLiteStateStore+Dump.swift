import GRDB

extension SQLiteStateStore: StateDumping {
    public func rows(of table: StateTable) async throws -> [[StateValue]] {
        let sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name)"
        return try await db.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                (0..<row.count).map { i -> StateValue in
                    switch (row[i] as DatabaseValue).storage {
                    case .null: .null
                    case .int64(let v): .integer(v)
                    case .double(let v): .integer(Int64(v))
                    case .string(let v): .text(v)
                    case .blob(let v): .blob(Array(v))
                    }
                }
            }
        }
    }
}
