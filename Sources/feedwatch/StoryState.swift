import FeedDaemon
import FeedStore
import Foundation

/// The stories the state database knows, for `alerts show` and `alerts list --json`. The spool can be
/// read without the state (another machine, no permission): then sources are unknown, said once on
/// stderr, and the commands still print the alerts.
struct StoryState {
    private let store: SQLiteStateStore?

    init(_ config: DaemonConfig) {
        guard FileManager.default.fileExists(atPath: config.stateDir + "/state.sqlite") else {
            store = nil
            return
        }
        do {
            store = try SQLiteStateStore(directory: config.stateDir, readOnly: true)
        } catch {
            warn("feedwatch: story sources unknown: cannot read the state in \(config.stateDir): \(error)")
            store = nil
        }
    }

    /// Sources per story id, or nil when the state cannot be read.
    func counts(_ ids: [String]) async -> [String: Int]? {
        guard let store else { return nil }
        return try? await store.storySourceCounts(ids)
    }

    func sources(_ id: String) async -> [StorySource]? {
        guard let store else { return nil }
        return try? await store.storySources(id)
    }

    /// The story id of a parsed alert file.
    static func id(of alert: [String: Any]) -> String? { (alert["story"] as? [String: Any])?["id"] as? String }
}
