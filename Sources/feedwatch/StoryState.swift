import ArgumentParser
import FeedDaemon
import FeedStore

/// The stories the state knows, for `alerts show` and `alerts list --json`, from SQLite in `state_dir`
/// or the PostgreSQL state of `state_url`. The spool can be read without the state (another machine, no
/// permission, the database down): then sources are unknown, said once on stderr, and the commands
/// still print the alerts.
enum StoryState {
    static func sources(_ config: DaemonConfig, _ id: String) async -> [StorySource]? {
        await reading(config) { try await $0.storySources(id) }
    }

    /// The sources of each of `ids`, from one opening of the state.
    static func sources(_ config: DaemonConfig, _ ids: [String]) async -> [String: [StorySource]]? {
        await reading(config) { store in
            var out: [String: [StorySource]] = [:]
            for id in ids { out[id] = try await store.storySources(id) }
            return out
        }
    }

    /// The story id of a parsed alert file.
    static func id(of alert: [String: Any]) -> String? { (alert["story"] as? [String: Any])?["id"] as? String }

    private static func reading<R: Sendable>(
        _ config: DaemonConfig, _ read: (any StateStore) async throws -> R
    ) async -> R? {
        do {
            return try await StateScope.reading(config) { store, _ in try await read(store) }
        } catch is ExitCode {
            return nil  // StateScope has said why (a state_url that cannot be used)
        } catch {
            warn("feedwatch: story sources unknown: cannot read the state (\(config.stateURL ?? config.stateDir)): \(error)")
            return nil
        }
    }
}
