import AntgenDSL
import AntgenNumerics

/// The operand side of ``AxiShell``: parses ``AxiShellFormat`` packets from `s_axis`
/// into held array beats (`beatFull`, `beatLast`, the operands and the tile's settings).
struct AxiShellReceiver {
    static let waitHeader = 0, receiveData = 1, dropPacket = 2

    let format: AxiShellFormat
    let accepts: (Value) -> Value
    let stream: IO<AxiStreamPorts>
    let state, chunk, beatsLeft, beatFull, beatLast, fault: Value
    let slots: [Value]
    let actType, actSigned, actInt8, weightType, weightSigned, weightInt8: Value
    /// A tile is half-way into the array (its last beat not yet taken).
    let midTile: Value
    /// Waiting for an operand transfer that is not offered.
    let starved: Value

    init(_ m: ModuleBuilder, format: AxiShellFormat, stream: IO<AxiStreamPorts>, accepts: @escaping (Value) -> Value) {
        self.format = format
        self.accepts = accepts
        self.stream = stream
        let count = max(format.headerTransfers, format.beatTransfers)
        state = m.register("rx_state", .uint(2), reset: Self.waitHeader)
        chunk = m.register("rx_chunk", .uint(bitsToIndex(count)), reset: 0)
        slots = (0..<count).map { m.register("rx_slot_\($0)", .uint(format.dataWidth)) }
        beatsLeft = m.register("rx_beats_left", .uint(16), reset: 0)
        beatFull = m.register("beat_full", .bool, reset: 0)
        beatLast = m.register("beat_last", .bool, reset: 0)
        fault = m.register("fault_pulse", .bool, reset: 0)
        actType = m.register("tile_act_type", .uint(AntType.selectorWidth), reset: 0)
        actSigned = m.register("tile_act_signed", .bool, reset: 0)
        actInt8 = m.register("tile_act_int8", .bool, reset: 0)
        weightType = m.register("tile_weight_type", .uint(AntType.selectorWidth), reset: 0)
        weightSigned = m.register("tile_weight_signed", .bool, reset: 0)
        weightInt8 = m.register("tile_weight_int8", .bool, reset: 0)
        midTile = m.wire("mid_tile", equals: (state == Self.receiveData) | beatFull)
        starved = m.wire("starved", equals: (state == Self.receiveData) & !beatFull & !stream.tvalid)
    }

    /// The handshake and the packet parser. `arrayTake`: the array takes the held beat now.
    func connect(_ m: ModuleBuilder, enabled: Value, arrayTake: Value) {
        let s = stream
        let ready = m.wire("s_ready", equals: enabled & ((state == Self.dropPacket) | !beatFull | arrayTake))
        s.tready.assign(ready)
        let takeIn = m.wire("s_take", equals: s.tvalid & ready)
        fault.assign(.bool(false))
        m.when(arrayTake) { beatFull.assign(.bool(false)) }
        for (n, slot) in slots.enumerated() {
            m.when(takeIn & (state != Self.dropPacket) & (chunk == n)) { slot.assign(s.tdata) }
        }
        m.when(takeIn) {
            m.switchOn(state) { arm in
                arm.is(Self.waitHeader) { headerStep(m) }
                arm.is(Self.receiveData) { dataStep(m) }
                arm.otherwise { m.when(s.tlast) { state.assign(.uint(Self.waitHeader, width: 2)) } }
            }
        }
    }

    /// The item being completed by this transfer: earlier slots, then TDATA.
    private func assembled(transfers: Int) -> Value {
        cat((Array(slots.prefix(transfers - 1)) + [stream.tdata]).reversed())
    }

    private func headerStep(_ m: ModuleBuilder) {
        let s = stream
        let h = assembled(transfers: format.headerTransfers)[0...(AxiShellFormat.headerBits - 1)]
        let ok = accepts(h) & (h[0...3] == AxiShellFormat.magic) & (h[4...7] == 0) & (h[16...23] == format.rows - 1)
            & (h[24...31] == format.cols - 1) & (h[32...47] != 0) & (h[48...63] == 0) & !s.tlast
        let final = chunk == format.headerTransfers - 1
        m.when(final) {
            chunk.assign(.uint(0, width: chunk.width))
            m.when(ok) {
                state.assign(.uint(Self.receiveData, width: 2))
                beatsLeft.assign(h[32...47])
                actType.assign(h[8...9]); actSigned.assign(h[10]); actInt8.assign(h[11])
                weightType.assign(h[12...13]); weightSigned.assign(h[14]); weightInt8.assign(h[15])
            }.otherwise {
                fault.assign(.bool(true))
                m.when(!s.tlast) { state.assign(.uint(Self.dropPacket, width: 2)) }
            }
        }.otherwise {
            m.when(s.tlast) {
                fault.assign(.bool(true))
                chunk.assign(.uint(0, width: chunk.width))
            }.otherwise { chunk.assign(chunk &+ 1) }
        }
    }

    private func dataStep(_ m: ModuleBuilder) {
        let s = stream
        let toHeader = Value.uint(Self.waitHeader, width: 2)
        m.when(chunk == format.beatTransfers - 1) {
            let lastBeat = beatsLeft == 1
            chunk.assign(.uint(0, width: chunk.width))
            beatFull.assign(.bool(true))
            beatLast.assign(lastBeat | s.tlast)
            beatsLeft.assign(beatsLeft &- 1)
            m.when(lastBeat | s.tlast) { state.assign(toHeader) }
            m.when(lastBeat != s.tlast) { fault.assign(.bool(true)) }
            m.when(lastBeat & !s.tlast) { state.assign(.uint(Self.dropPacket, width: 2)) }
        }.otherwise {
            m.when(s.tlast) {
                fault.assign(.bool(true))
                beatFull.assign(.bool(true))
                beatLast.assign(.bool(true))
                state.assign(toHeader)
                chunk.assign(.uint(0, width: chunk.width))
            }.otherwise { chunk.assign(chunk &+ 1) }
        }
    }

    /// The held beat's operand bits.
    var operands: Value { cat(Array(slots.prefix(format.beatTransfers)).reversed())[0...(format.beatBits - 1)] }

    /// The tile's operand settings from its header.
    var settings: AxiShellTileSettings {
        AxiShellTileSettings(actType: actType, actSigned: actSigned, actInt8: actInt8,
                             weightType: weightType, weightSigned: weightSigned, weightInt8: weightInt8)
    }

    /// SOFT_RESET: back to waiting for a header; a half-sent tile gets a last beat.
    func softReset(_ m: ModuleBuilder, _ pulse: Value, midTile: Value) {
        m.when(pulse) {
            state.assign(.uint(Self.waitHeader, width: 2))
            chunk.assign(.uint(0, width: chunk.width))
            m.when(midTile) {
                beatFull.assign(.bool(true))
                beatLast.assign(.bool(true))
            }
        }
    }
}

/// The result side of ``AxiShell``: a FIFO of result rows (with a last-row flag) and
/// the `m_axis` serializer, one row in ``AxiShellFormat/rowTransfers`` transfers.
struct AxiShellTransmitter {
    let format: AxiShellFormat
    let depth: Int
    let stream: IO<AxiStreamPorts>
    let entries: [Value]
    let writePointer, readPointer, count, chunk: Value
    /// A row's final transfer happens now.
    let popRow: Value

    init(_ m: ModuleBuilder, format: AxiShellFormat, depth: Int, stream: IO<AxiStreamPorts>) {
        self.format = format
        self.depth = depth
        self.stream = stream
        let rowBits = format.rowBits, transfers = format.rowTransfers
        entries = (0..<depth).map { m.register("fifo_row_\($0)", .uint(rowBits + 1)) }
        writePointer = m.register("fifo_write", .uint(bitsToIndex(depth)), reset: 0)
        readPointer = m.register("fifo_read", .uint(bitsToIndex(depth)), reset: 0)
        count = m.register("fifo_count", .uint(bitsToIndex(depth + 1)), reset: 0)
        chunk = m.register("tx_chunk", .uint(bitsToIndex(transfers)), reset: 0)
        let head = m.wire("fifo_head", equals: Vec(entries)[readPointer])
        let finalChunk = chunk == format.rowTransfers - 1
        stream.tvalid.assign(count != 0)
        Self.send(head, chunk: chunk, finalChunk: finalChunk, format: format, on: stream)
        popRow = m.wire("pop_row", equals: stream.tvalid & stream.tready & finalChunk)
    }

    /// Drives `stream`'s TDATA, TLAST and TKEEP from `head` (a row, its last-row flag on
    /// top): transfer `chunk` of the row's ``AxiShellFormat/rowTransfers``, TLAST on the
    /// final one of a tile's last row.
    static func send(_ head: Value, chunk: Value, finalChunk: Value, format: AxiShellFormat, on stream: IO<AxiStreamPorts>) {
        let rowBits = format.rowBits, transfers = format.rowTransfers, d = format.dataWidth
        let padded = head[0...(rowBits - 1)].extended(to: transfers * d)
        let pieces = (0..<transfers).map { padded[($0 * d)...($0 * d + d - 1)] }
        stream.tdata.assign(transfers == 1 ? pieces[0] : select(chunk, from: pieces))
        stream.tlast.assign(finalChunk & head[rowBits])
        stream.tkeep.assign(.uint((1 << (d / 8)) - 1, width: d / 8))
    }

    /// Pushes `data` (with `lastRow`) when `push`; advances on every `m_axis` transfer.
    func connect(_ m: ModuleBuilder, push: Value, lastRow: Value, data: Vec<Value>) {
        let row = cat([lastRow] + data.reversed().map(\.asUInt))
        for (e, entry) in entries.enumerated() {
            m.when(push & (writePointer == e)) { entry.assign(row) }
        }
        func advanced(_ pointer: Value) -> Value {
            mux(pointer == depth - 1, .uint(0, width: pointer.width), pointer &+ 1)
        }
        m.when(push) { writePointer.assign(advanced(writePointer)) }
        m.when(stream.tvalid & stream.tready) { chunk.assign(chunk &+ 1) }
        m.when(popRow) {
            chunk.assign(.uint(0, width: chunk.width))
            readPointer.assign(advanced(readPointer))
        }
        m.when(push & !popRow) { count.assign(count &+ 1) }
        m.when(!push & popRow) { count.assign(count &- 1) }
    }

    /// SOFT_RESET empties the FIFO.
    func softReset(_ m: ModuleBuilder, _ pulse: Value) {
        m.when(pulse) {
            for register in [writePointer, readPointer, count, chunk] { register.assign(.uint(0, width: register.width)) }
        }
    }
}
