import ArgumentParser

// Top-level command; each subcommand lives in its own file.
@main
struct Feedwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watches RSS/Atom feeds and raises topic alerts (Arabic and English).",
        version: FeedwatchVersion.string,
        subcommands: [
            RunCommand.self, OnceCommand.self, ReloadCommand.self, CheckCommand.self, ParseCommand.self, FetchCommand.self,
            ClassifyCommand.self, EvalCommand.self, AlertsCommand.self, StatusCommand.self, FeedsCommand.self,
            StateCommand.self,
        ])
}
