public import Foundation

/// Where the configuration is (design.md), the one lookup of every command: `--config`, else
/// `$FEEDWATCH_CONFIG`, else /etc/feedwatch/feedwatch.yaml, else config/feedwatch.yaml.
public enum ConfigFile: Sendable {
    public static let systemPath = "/etc/feedwatch/feedwatch.yaml"
    public static let localPath = "config/feedwatch.yaml"

    /// The path the option or the environment names, else the first default place that exists; nil
    /// when there is none (`classify` then uses the built-in topics; the daemon's commands say where
    /// they looked).
    public static func lookup(
        option: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if let option { return option }
        if let env = environment["FEEDWATCH_CONFIG"], !env.isEmpty { return env }
        return [systemPath, localPath].first { FileManager.default.fileExists(atPath: $0) }
    }
}
