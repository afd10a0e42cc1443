/// Internal entry points the fuzz targets (Fuzz/) reach, as SPI: not part of the library's interface.
@_spi(Fuzzing) public enum FuzzEntryPoints: Sendable {
    /// HTML to plain text, as summaries are converted.
    public static func plainText(html: String) -> String? { HTMLText.plainText(html: html, cap: 64 * 1024) }
}
