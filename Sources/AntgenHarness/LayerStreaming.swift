import AntgenSupport
import Foundation

/// The row and column blocks of an output-stationary layer run: C (M × N) in tiles of
/// rows × cols, tile t covering row block t / nBlocks and column block t % nBlocks (the
/// order of ``GemmTiling``); the ragged last blocks are padded with zeros.
struct LayerBlocks: Sendable {
    /// The layer's M and N.
    let m: Int, n: Int
    /// The array's rows and columns.
    let rows: Int, cols: Int

    /// Row blocks ⌈M/R⌉ and column blocks ⌈N/C⌉.
    var mBlocks: Int { (m + rows - 1) / rows }
    var nBlocks: Int { (n + cols - 1) / cols }
    /// Tiles in all.
    var tileCount: Int { mBlocks * nBlocks }
    /// The first row and column of C that tile t covers.
    func origin(of t: Int) -> (m: Int, n: Int) { (t / nBlocks * rows, t % nBlocks * cols) }
}

/// Feeds a started simulator on a writer thread, so the next tiles are produced while the
/// simulator works and neither side holds more than a pipe's worth of the stream.
enum LayerStreamWriter {
    /// Writes `header`, then `chunk(t)` for t in 0..<count, then closes the input; stops
    /// quietly when the simulator has gone (its reader reports why).
    static func start(_ process: StreamingProcess, header: String, count: Int, chunk: @escaping @Sendable (Int) -> String) {
        let writer = Thread {
            guard (try? process.write(header)) != nil else { return }
            for t in 0..<count {
                guard (try? process.write(chunk(t))) != nil else { return }
            }
            process.closeInput()
        }
        writer.start()
    }
}

/// One differing output element of a layer run, in words.
func describeMismatch(tile: Int, row: Int, col: Int, m: Int, n: Int, inside: Bool, expected: UInt64, got: UInt64, what: String = "") -> String {
    let place = inside ? "C[\(m), \(n)]" : "padding position (row \(m), col \(n))"
    return "tile \(tile) row \(row) col \(col)\(what) (\(place)): expected 0x\(String(expected, radix: 16)), RTL 0x\(String(got, radix: 16))"
}
