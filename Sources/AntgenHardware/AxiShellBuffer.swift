import AntgenDSL

/// The result queue of ``AxiShell``: the push side the array feeds, the `m_axis` side.
protocol AxiShellResultQueue {
    /// A row's final transfer happens now.
    var popRow: Value { get }
    /// Pushes `data` (with `lastRow`) when `push`; advances on every `m_axis` transfer.
    func connect(_ m: ModuleBuilder, push: Value, lastRow: Value, data: Vec<Value>)
    /// SOFT_RESET empties the queue.
    func softReset(_ m: ModuleBuilder, _ pulse: Value)
}

extension AxiShellTransmitter: AxiShellResultQueue {}

/// The `--buffer-kib` result side of ``AxiShell``: result rows (with a last-row flag) in a
/// block-RAM ``Memory`` of `depth` rows, and the row being sent in the memory's read
/// register. A row is read when the memory holds one and the head is empty or leaves now,
/// so rows leave back to back; `depth` + 1 rows fit (the shell reserves only `depth`).
struct AxiShellBufferedTransmitter: AxiShellResultQueue {
    let format: AxiShellFormat
    let depth: Int
    let stream: IO<AxiStreamPorts>
    let memory: Memory
    let writePointer, readPointer, stored, headValid, chunk, readNow: Value
    let popRow: Value

    /// The largest power-of-two row count whose rows (and flags) fit in `kib` KiB.
    static func depth(kib: Int, format: AxiShellFormat) -> Int {
        let rows = kib * 8192 / (format.rowBits + 1)
        return rows < 2 ? 0 : 1 << (Int.bitWidth - 1 - rows.leadingZeroBitCount)
    }

    init(_ m: ModuleBuilder, format: AxiShellFormat, depth: Int, stream: IO<AxiStreamPorts>) {
        self.format = format
        self.depth = depth
        self.stream = stream
        let transfers = format.rowTransfers
        let aw = bitsToIndex(depth)
        memory = m.memory("result_buffer", depth: depth, .uint(format.rowBits + 1), style: .block)
        writePointer = m.register("buffer_write", .uint(aw), reset: 0)
        readPointer = m.register("buffer_read", .uint(aw), reset: 0)
        stored = m.register("buffer_count", .uint(bitsToIndex(depth + 1)), reset: 0)
        headValid = m.register("head_valid", .bool, reset: 0)
        chunk = m.register("tx_chunk", .uint(bitsToIndex(transfers)), reset: 0)
        let finalChunk = chunk == transfers - 1
        let popping = m.wire("pop_row", equals: headValid & stream.tready & finalChunk)
        popRow = popping
        readNow = m.wire("buffer_read_now", equals: (stored != 0) & (!headValid | popping))
        let head = memory.read(address: readPointer, enable: readNow)
        stream.tvalid.assign(headValid)
        AxiShellTransmitter.send(head, chunk: chunk, finalChunk: finalChunk, format: format, on: stream)
    }

    func connect(_ m: ModuleBuilder, push: Value, lastRow: Value, data: Vec<Value>) {
        let row = cat([lastRow] + data.reversed().map(\.asUInt))
        memory.write(address: writePointer, data: row, enable: push)
        m.when(push) { writePointer.assign(writePointer &+ 1) }
        m.when(readNow) { readPointer.assign(readPointer &+ 1) }
        m.when(push & !readNow) { stored.assign(stored &+ 1) }
        m.when(!push & readNow) { stored.assign(stored &- 1) }
        m.when(stream.tvalid & stream.tready) { chunk.assign(chunk &+ 1) }
        m.when(popRow) {
            chunk.assign(.uint(0, width: chunk.width))
            headValid.assign(.bool(false))
        }
        m.when(readNow) { headValid.assign(.bool(true)) }
    }

    func softReset(_ m: ModuleBuilder, _ pulse: Value) {
        m.when(pulse) {
            for register in [writePointer, readPointer, stored, chunk] { register.assign(.uint(0, width: register.width)) }
            headValid.assign(.bool(false))
        }
    }
}

extension AxiShellFormat {
    /// Why `kib` KiB cannot hold the shell's result buffer (one line), or nil when it can:
    /// the buffer holds the largest power-of-two number of rows that fits, at least 2·rows.
    public func bufferProblem(kib: Int) -> String? {
        let needed = 2 * rows
        guard kib >= 1 && kib <= 65536 else { return "--buffer-kib \(kib): give a size from 1 to 65536 KiB" }
        let depth = AxiShellBufferedTransmitter.depth(kib: kib, format: self)
        guard depth < needed else { return nil }
        let minimum = (needed * (rowBits + 1) + 8191) / 8192
        return "--buffer-kib \(kib) holds \(depth) result rows of \(rowBits + 1) bits; the \(rows)x\(cols) shell needs \(needed) (--buffer-kib \(minimum) or more)"
    }
}
