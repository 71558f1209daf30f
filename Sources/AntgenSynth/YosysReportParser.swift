import Foundation

/// Parsers for the text reports of Yosys and nextpnr.
///
/// The cell counts come from the text of `stat`, not from `stat -json`: Yosys 0.23's
/// JSON is invalid for a selection of modules (a trailing comma), embeds the text
/// hierarchy in the middle of the object when a top is set, and keeps only one entry
/// when two cell types print the same name (it dropped 8 of a PE's 241 `SB_LUT4`s).
/// The text lists every entry, and duplicates are summed here.
public enum YosysReportParser {
    /// Cells per module from a `stat` report: every `=== name ===` section except
    /// `design hierarchy`, the `type count` lines under `Number of cells:`. Types printed
    /// twice are summed.
    /// - Throws: ``SynthesisError/unreadableReport(_:_:)`` when no module section is found.
    public static func cellCounts(fromStat text: String) throws -> [String: CellCounts] {
        var result: [String: [String: Int]] = [:]
        var module: String?
        var inCells = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("=== "), line.hasSuffix(" ===") {
                let name = String(line.dropFirst(4).dropLast(4))
                module = name == "design hierarchy" ? nil : name
                if let module { result[module, default: [:]] = result[module] ?? [:] }
                inCells = false
                continue
            }
            guard let current = module else { continue }
            if line.hasPrefix("Number of cells:") {
                inCells = true
                continue
            }
            guard inCells else { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, let count = Int(fields[1]) else {
                inCells = false
                continue
            }
            result[current, default: [:]][String(fields[0]), default: 0] += count
        }
        guard !result.isEmpty else {
            throw SynthesisError.unreadableReport("stat", firstLine(of: text))
        }
        return result.mapValues { CellCounts($0) }
    }

    /// The longest combinational path per module, in cells, from `ltp -noff`
    /// (`Longest topological path in NAME (length=N):`).
    public static func longestPaths(fromLTP text: String) -> [String: Int] {
        let marker = "Longest topological path in "
        var result: [String: Int] = [:]
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix(marker), let open = line.range(of: " (length=", options: .backwards) else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: marker.count)..<open.lowerBound])
            let digits = line[open.upperBound...].prefix { $0.isNumber }
            if let length = Int(digits) { result[name] = length }
        }
        return result
    }

    /// The final `Max frequency for clock '…': X MHz` of a nextpnr log (after routing).
    public static func maxFrequency(fromNextpnr text: String) -> Double? {
        var last: Double?
        for rawLine in text.split(separator: "\n") {
            guard let range = rawLine.range(of: "Max frequency for clock ") else { continue }
            let rest = rawLine[range.upperBound...]
            guard let colon = rest.range(of: "': ") else { continue }
            let number = rest[colon.upperBound...].prefix { $0.isNumber || $0 == "." }
            if let value = Double(number) { last = value }
        }
        return last
    }

    /// The first `ERROR:` line of a tool log, else its last non-empty line: the one line
    /// that explains a failure.
    public static func firstError(in log: String) -> String {
        let lines = log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.first { $0.contains("ERROR:") } ?? lines.last ?? "(no output)"
    }

    /// The first non-empty line of `text`, shortened, for error messages.
    static func firstLine(of text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? "(empty)"
        return line.count > 120 ? String(line.prefix(120)) + "…" : line
    }
}
