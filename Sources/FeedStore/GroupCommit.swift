import Synchronization

/// Group commit: polls that finish while a transaction is being written wait, and go together into the
/// next one, so many polls cost one fsync (`synchronous = FULL` makes each commit durable, and one
/// commit per poll capped the daemon at a few hundred polls a second). Each caller still returns only
/// once its own poll is durable, so the outbox rule holds: an alert is committed before it is delivered.
///
/// No task is spawned: the caller that finds no transaction in progress becomes the writer and drains
/// the queue, batch after batch, then returns with its own result.
public final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch in one transaction, all or nothing, returning one output per item.
    public typealias Write = @Sendable ([Item]) async throws -> [Output]

    private enum Turn: Sendable {
        case lead
        case done(Result<Output, any Error>)
    }

    private struct Waiter: Sendable {
        var item: Item
        var continuation: CheckedContinuation<Turn, Never>?
    }

    private struct State: Sendable {
        var queue: [Waiter] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let write: Write

    public init(write: @escaping Write) {
        self.write = write
    }

    public func submit(_ item: Item) async throws -> Output {
        let turn: Turn = await withCheckedContinuation { c in
            let lead = state.withLock { s -> Bool in
                if s.writing {
                    s.queue.append(Waiter(item: item, continuation: c))
                    return false
                }
                s.writing = true
                return true
            }
            if lead { c.resume(returning: .lead) }
        }
        switch turn {
        case .done(let result):
            return try result.get()
        case .lead:
            var batch = [Waiter(item: item, continuation: nil)]
            var mine: Result<Output, any Error>?

            while !batch.isEmpty {
                let results = await commit(batch)
                if mine == nil { mine = results[0] }
                for (w, r) in zip(batch, results) { w.continuation?.resume(returning: .done(r)) }
                batch = state.withLock { s in
                    defer { s.queue.removeAll(keepingCapacity: true) }
                    if s.queue.isEmpty { s.writing = false }
                    return s.queue
                }
            }
            return try mine!.get()
        }
    }

    /// One transaction for the batch; if it fails, each item alone, so one bad poll fails only itself.
    private func commit(_ batch: [Waiter]) async -> [Result<Output, any Error>] {
        do {
            let outputs = try await write(batch.map(\.item))
            return outputs.map { .success($0) }
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
            var out: [Result<Output, any Error>] = []
            for w in batch {
                do {
                    out.append(.success(try await write([w.item])[0]))
                } catch {
                    out.append(.failure(error))
                }
            }
            return out
        }
    }
}
