import AntgenGolden
import Foundation

/// The output rows an MX testbench run presented (`mx_harness.cpp --dump`, `mx_tb.v
/// +dump=`): one line per row, `case row out_row data_0 … data_{C−1}`, the row by its order
/// in the tile, the label the array gave it, and the binary32 words in hex.
struct MxOutputDump {
    /// One presented row.
    struct Row {
        let tile: Int, row: Int, label: Int
        let words: [UInt32]
    }

    /// The rows, in the order they came.
    let rows: [Row]

    /// Reads a dump of a `cols`-column array (a missing file is an empty dump: no row came).
    /// - Throws: ``HarnessError`` for a line that is not a row.
    init(contentsOf url: URL, cols: Int) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            rows = []
            return
        }
        rows = try String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().map { number, line in
            let fields = line.split(separator: " ")
            guard fields.count == 3 + cols, let tile = Int(fields[0]), let row = Int(fields[1]), let label = Int(fields[2]) else {
                throw HarnessError("\(url.lastPathComponent) line \(number + 1) is not an output row of \(cols) words: '\(line.prefix(80))'")
            }
            let words = try fields.dropFirst(3).map { field -> UInt32 in
                guard let word = UInt32(field, radix: 16) else {
                    throw HarnessError("\(url.lastPathComponent) line \(number + 1): '\(field)' is not a hex word")
                }
                return word
            }
            return Row(tile: tile, row: row, label: label, words: words)
        }
    }
}

/// Every output word of an MX layer run against its tile's expected binary32 patterns (from
/// ``MxGoldenModel``), and the dequantised C the RTL produced.
struct MxLayerCheck {
    /// Output words compared (every tile's R × C, padding included).
    private(set) var compared = 0
    /// Words that differ, or that never came.
    private(set) var mismatches = 0
    /// The first difference in words.
    private(set) var firstMismatch: String?
    /// Rows whose `out_row` label is not their position.
    private(set) var labelErrors: [String] = []
    /// C as the RTL gave it, M × N row-major (NaN where no row came).
    private(set) var output: [Double]

    /// `rowLabel`: the top's row label port, as the label errors name it.
    init(tiling: MxLayerTiling, cases: [MxCase], dump: MxOutputDump, rowLabel: String) {
        output = [Double](repeating: .nan, count: tiling.m * tiling.n)
        let rows = cases.first?.expected.count ?? 0
        let cols = cases.first?.expected.first?.count ?? 0
        var got: [[UInt32]?] = Array(repeating: nil, count: cases.count * rows)
        for row in dump.rows where (0..<cases.count).contains(row.tile) && (0..<rows).contains(row.row) {
            if got[row.tile * rows + row.row] == nil { got[row.tile * rows + row.row] = row.words }
            if row.label != row.row && labelErrors.count < 10 {
                labelErrors.append("ERROR tile \(row.tile) row \(row.row) came labelled \(rowLabel) \(row.label)")
            }
        }
        for (t, item) in cases.enumerated() {
            let (rowTile, columnTile) = (t / tiling.columnTiles, t % tiling.columnTiles)
            for i in 0..<rows {
                let words = got[t * rows + i]
                for j in 0..<cols {
                    compared += 1
                    let (m, n) = (rowTile * rows + i, columnTile * cols + j)
                    let want = item.expected[i][j]
                    if let word = words?[j], m < tiling.m, n < tiling.n { output[m * tiling.n + n] = Double(Float(bitPattern: word)) }
                    guard words?[j] != want else { continue }
                    mismatches += 1
                    if firstMismatch == nil {
                        let place = m < tiling.m && n < tiling.n ? "C[\(m), \(n)]" : "a padding position"
                        let seen = words.map { String(format: "0x%08x", $0[j]) } ?? "no output"
                        firstMismatch = "tile \(t) row \(i) col \(j) (\(place)): expected 0x\(String(format: "%08x", want)), got \(seen)"
                    }
                }
            }
        }
    }
}
