import AntgenGolden
import AntgenSupport
import Foundation

/// One tile for the streaming simulator: K beats of codes in one operand-mode pair.
public struct StreamTile: Sendable {
    /// The tile's number (echoed in its answer).
    public let id: Int
    /// `a[k][i]`, the code on `a_code_i` in beat k.
    public let a: [[UInt64]]
    /// `w[k][j]`, the code on `w_code_j` in beat k.
    public let w: [[UInt64]]
    /// Activation mode.
    public let activation: OperandMode
    /// Weight mode.
    public let weight: OperandMode

    /// Creates a tile.
    public init(id: Int, a: [[UInt64]], w: [[UInt64]], activation: OperandMode, weight: OperandMode) {
        self.id = id
        self.a = a
        self.w = w
        self.activation = activation
        self.weight = weight
    }

    /// The tile in the stream protocol's text (Testbenches/harness/stream.h).
    public var text: String {
        var t = "TILE \(id) \(a.count) \(String(activation.packed, radix: 16)) \(String(weight.packed, radix: 16))\n"
        t.reserveCapacity(a.count * (a.first!.count + w.first!.count) * 3 + 40)
        for k in a.indices {
            t += a[k].map { String($0, radix: 16) }.joined(separator: " ")
            t += " "
            t += w[k].map { String($0, radix: 16) }.joined(separator: " ")
            t += "\n"
        }
        return t
    }
}

/// The simulator's answer for one tile.
public struct TileAnswer: Sendable, Equatable {
    /// The tile's number.
    public let id: Int
    /// Cycle the tile's first beat was accepted.
    public let firstBeat: Int
    /// Cycle its last beat was accepted.
    public let lastBeat: Int
    /// Cycle its first result row (row R − 1) was presented.
    public let firstRow: Int
    /// Cycle its last result row (row 0) was presented.
    public let lastRow: Int
    /// `results[i][j]`: C[i, j] of the tile, W-bit two's complement.
    public let results: [[UInt64]]

    /// Cycles from the first beat to the last result row, both included.
    public var cycles: Int { lastRow - firstBeat + 1 }
}

/// What a whole stream reported.
public struct StreamSummary: Sendable, Equatable {
    /// Tiles answered.
    public let tiles: Int
    /// Cycles from the first tile's first beat to the last tile's last row, both included.
    public let cycles: Int
    /// `ERROR` lines (protocol problems the testbench saw).
    public let errors: [String]
}

/// Parses the testbench's answer lines (`RESULT`, `ROW`, `ERROR`, `SUMMARY`).
public struct TileAnswerParser: Sendable {
    let rows: Int, cols: Int
    var pending: (id: Int, fields: [String: Int], results: [[UInt64]], seen: Int)?
    /// ERROR lines so far.
    public private(set) var errors: [String] = []

    /// A parser for an R × C array.
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    /// Feeds one line: returns a completed answer, sets `summary` on the SUMMARY line.
    /// - Throws: ``HarnessError`` for a line that does not fit the protocol.
    public mutating func feed(_ line: String, summary: inout StreamSummary?) throws -> TileAnswer? {
        let words = line.split(separator: " ")
        guard let head = words.first else { return nil }
        switch head {
        case "RESULT":
            guard words.count == 6, let id = Int(words[1]) else { throw HarnessError("simulator answer not understood: \(line)") }
            var fields: [String: Int] = [:]
            for word in words.dropFirst(2) {
                let kv = word.split(separator: "=")
                if kv.count == 2, let v = Int(kv[1]) { fields[String(kv[0])] = v }
            }
            pending = (id, fields, Array(repeating: Array(repeating: 0, count: cols), count: rows), 0)
            return nil
        case "ROW":
            guard var p = pending, words.count == cols + 2, let r = Int(words[1]), (0..<rows).contains(r) else {
                throw HarnessError("simulator answer not understood: \(line.prefix(120))")
            }
            for j in 0..<cols {
                guard let v = UInt64(words[j + 2], radix: 16) else { throw HarnessError("simulator answer not understood: \(line.prefix(120))") }
                p.results[r][j] = v
            }
            p.seen += 1
            guard p.seen == rows else { pending = p; return nil }
            pending = nil
            let f = p.fields
            guard let fb = f["first_beat"], let lb = f["last_beat"], let fr = f["first_row"], let lr = f["last_row"] else {
                throw HarnessError("simulator answer for tile \(p.id) lacks its cycle fields")
            }
            return TileAnswer(id: p.id, firstBeat: fb, lastBeat: lb, firstRow: fr, lastRow: lr, results: p.results)
        case "ERROR":
            errors.append(line)
            return nil
        case "SUMMARY":
            var fields: [String: Int] = [:]
            for word in words.dropFirst() {
                let kv = word.split(separator: "=")
                if kv.count == 2, let v = Int(kv[1]) { fields[String(kv[0])] = v }
            }
            summary = StreamSummary(tiles: fields["tiles"] ?? 0, cycles: fields["cycles"] ?? 0, errors: errors)
            return nil
        default:
            return nil  // Verilator's own messages (e.g. "- V e r i l a t i o n ...") are ignored.
        }
    }
}

extension SimulatorBinary {
    /// Streams `count` tiles (`tile(t)` makes tile t, on a writer thread, so tiles are
    /// produced while the simulator works) through ONE run of the harness's streaming mode,
    /// and hands every answer to `answer` as it arrives (on the calling thread).
    /// - Throws: ``HarnessError`` when the simulator stops early or answers out of order,
    ///   ``ToolError`` when it is silent for longer than ``timeout``; whatever `answer` throws.
    public func stream(count: Int, rows: Int, cols: Int, tile: @escaping @Sendable (Int) -> StreamTile,
                       answer: (TileAnswer) throws -> Void) throws -> StreamSummary {
        try stream(count: count, rows: rows, cols: cols, text: { tile($0).text }, answer: answer)
    }

    /// Streams `count` tiles given as protocol text (`text(t)`: an OS `TILE` or a
    /// weight-stationary `WTILE`); answers have `rows` ROW lines of `cols` values.
    public func stream(count: Int, rows: Int, cols: Int, text: @escaping @Sendable (Int) -> String,
                       answer: (TileAnswer) throws -> Void) throws -> StreamSummary {
        let process = try StreamingProcess(program: executable.path, ["--stream"], name: "the verilator simulation")
        defer { process.terminate() }
        let writer = Thread {
            for t in 0..<count {
                guard (try? process.write(text(t))) != nil else { return }
            }
            try? process.write("END\n")
            process.closeInput()
        }
        writer.start()
        return try Self.collect(lines: { try process.readLine(timeout: timeout) }, count: count, rows: rows, cols: cols,
                                simulator: "verilator", answer: answer)
    }

    /// Reads answers until the SUMMARY line; checks the order of the tiles.
    static func collect(lines next: () throws -> String?, count: Int, rows: Int, cols: Int, simulator: String,
                        answer: (TileAnswer) throws -> Void) throws -> StreamSummary {
        var parser = TileAnswerParser(rows: rows, cols: cols)
        var summary: StreamSummary?
        var expected = 0
        var last: [String] = []
        while summary == nil, let line = try next() {
            last = Array((last + [line]).suffix(3))
            if line.hasPrefix("ERROR input") { throw HarnessError("\(simulator) stream rejected its input: \(line)") }
            guard let a = try parser.feed(line, summary: &summary) else { continue }
            guard a.id == expected else { throw HarnessError("\(simulator) answered tile \(a.id) where tile \(expected) was due") }
            expected += 1
            try answer(a)
        }
        guard let summary else {
            throw HarnessError("\(simulator) stream ended after \(expected) of \(count) tiles: \(last.joined(separator: " | "))")
        }
        guard summary.tiles == count, expected == count else {
            throw HarnessError("\(simulator) stream answered \(expected) of \(count) tiles\(summary.errors.first.map { ": " + $0 } ?? "")")
        }
        return summary
    }
}

extension IcarusRunner {
    /// Runs `tiles` through `Testbenches/harness/stream_tb.v` on Icarus (one compile, one
    /// run over a tile file written to `work`), with the same answers as the Verilator
    /// streaming mode: the cross-check for small layers.
    public func stream(design: GeneratedDesign, tiles: [StreamTile], rows: Int, cols: Int, work: URL,
                       answer: (TileAnswer) throws -> Void) throws -> StreamSummary {
        let fm = FileManager.default
        try? fm.removeItem(at: work)
        InterruptCleanup.track(work)
        defer { try? fm.removeItem(at: work); InterruptCleanup.untrack(work) }
        let stream = tiles.map(\.text).joined() + "END\n"
        _ = try writeAtomically(design.files.filter { $0.0.hasSuffix(".v") } + [("tb_ports.vh", Self.portsInclude(design)),
                                                                              ("tiles.txt", stream)], to: work)
        try compile(testbenches.directory.appendingPathComponent("stream_tb.v"), top: "antgen_stream_tb", design: design, work: work,
                    output: "stream.vvp")
        let result = try tools.vvp.run(["-n", "stream.vvp", "+tiles=tiles.txt"], in: work)
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).makeIterator()
        return try SimulatorBinary.collect(lines: { lines.next() }, count: tiles.count, rows: rows, cols: cols, simulator: "icarus",
                                           answer: answer)
    }
}
