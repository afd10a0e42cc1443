import ArgumentParser

/// sysexits(3) codes, as design.md fixes them.
extension ExitCode {
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let ioError = ExitCode(74)
    static let temporaryFailure = ExitCode(75)
    static let configError = ExitCode(78)
}
