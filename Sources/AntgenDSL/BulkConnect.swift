/// Ports a bulk connect can join: the module's own (``IO`` or one of its groups) or an
/// instance's (``InstanceHandle`` or one of its groups).
public protocol PortConnectable {
    /// The ports as ``ModuleBuilder/connect(_:_:file:line:)`` sees them.
    var connectionSide: ConnectionSide { get }
}

/// One side of a bulk connect: a port list, its signals and whose ports they are.
public struct ConnectionSide {
    let list: PortList
    let signals: [SignalBinding]
    /// `nil` for the module's own ports; else the instance's name.
    let instance: String?

    /// True when this side's `entry` feeds the module being built (its own input, an
    /// instance's output); false when the module must drive it.
    func isSource(_ entry: PortList.Entry) -> Bool {
        (instance == nil) == (entry.direction == .input)
    }

    /// `input 'a_code' of this module`, `output 'sum' of instance 'adder'`.
    func describe(_ entry: PortList.Entry) -> String {
        "\(entry.direction.rawValue) '\(entry.name)' (\(describeType(entry))) of "
            + (instance.map { "instance '\($0)'" } ?? "this module")
    }

    private func describeType(_ entry: PortList.Entry) -> String {
        let one = entry.layout.map { "bundle \($0.name)" } ?? entry.type.description
        return entry.count.map { "\($0) × \(one)" } ?? one
    }
}

extension IO: PortConnectable {
    /// The module's own ports.
    public var connectionSide: ConnectionSide {
        ConnectionSide(list: bindings.list, signals: bindings.signals, instance: nil)
    }
}

extension InstanceHandle: PortConnectable {
    /// The instance's ports.
    public var connectionSide: ConnectionSide {
        ConnectionSide(list: bindings.list, signals: bindings.signals, instance: name)
    }
}

extension ModuleBuilder {
    /// Connects two interfaces port by port, as Chisel's `<>` and Amaranth's `connect`:
    /// ports are matched by their Swift property path (`inValid`, `stream.inValid`), and
    /// in each pair the side that feeds this module drives the side this module must drive.
    ///
    /// - An instance's ports with this module's (`m.connect(io.stream, fifo.stream)`):
    ///   this module's inputs drive the instance's inputs, the instance's outputs drive
    ///   this module's outputs; matched ports have the same direction.
    /// - Two instances (`m.connect(producer.out, consumer.in)`): each output drives the
    ///   other's matching input; matched ports have opposite directions (declare one
    ///   side's group `flipped`).
    /// - This module's own groups: its inputs drive its outputs.
    ///
    /// Both sides must have the same ports (optional ports present on both or neither),
    /// with equal types and vector counts. Every mismatch is an elaboration error at the
    /// caller's line, naming the ports; mismatched pairs are left unconnected.
    public func connect(_ a: some PortConnectable, _ b: some PortConnectable, file: String = #fileID, line: Int = #line) {
        let location = SourceLocation(fileID: file, line: line)
        let left = a.connectionSide, right = b.connectionSide
        var rightByMember: [String: PortList.Entry] = [:]
        for entry in right.list.entries { rightByMember[entry.member] = entry }
        let leftMembers = Set(left.list.entries.map(\.member))
        let onlyLeft = left.list.entries.filter { rightByMember[$0.member] == nil }
        let onlyRight = right.list.entries.filter { !leftMembers.contains($0.member) }
        if !onlyLeft.isEmpty || !onlyRight.isEmpty {
            let listed = onlyLeft.map { "'\($0.member)' only on the first side (\(left.describe($0)))" }
                + onlyRight.map { "'\($0.member)' only on the second side (\(right.describe($0)))" }
            error("connect: the two sides have different ports: \(listed.joined(separator: "; "))", at: location)
        }
        for entry in left.list.entries {
            guard let other = rightByMember[entry.member] else { continue }
            if let problem = mismatch(entry, left, other, right) {
                error("connect: '\(entry.member)': \(problem)", at: location)
                continue
            }
            let (source, sourceSide, sink, sinkSide) = left.isSource(entry)
                ? (entry, left, other, right) : (other, right, entry, left)
            for k in 0..<(entry.count ?? 1) {
                drive(sinkSide.signals[sink.firstSignal + k], from: sourceSide.signals[source.firstSignal + k], file, line)
            }
        }
    }

    /// Why two matched ports cannot be connected, or `nil`.
    private func mismatch(_ a: PortList.Entry, _ aSide: ConnectionSide,
                          _ b: PortList.Entry, _ bSide: ConnectionSide) -> String? {
        let sameShape = a.count == b.count && a.type == b.type
            && a.layout?.signature == b.layout?.signature
        if !sameShape {
            return "\(aSide.describe(a)) and \(bSide.describe(b)) differ in type"
        }
        switch (aSide.isSource(a), bSide.isSource(b)) {
        case (true, true):
            return "\(aSide.describe(a)) and \(bSide.describe(b)) would both drive the connection (flip one group)"
        case (false, false):
            return "\(aSide.describe(a)) and \(bSide.describe(b)) both need a driver (flip one group)"
        default:
            return nil
        }
    }

    /// Drives one port signal from another: whole, or field by field when the target
    /// bundle's fields are already wired separately.
    private func drive(_ sink: SignalBinding, from source: SignalBinding, _ file: String, _ line: Int) {
        if let bundle = sink.drivable, bundle.isSplit {
            for (wire, leaf) in zip(bundle.fieldWires(), bundle.layout.leaves) {
                wire.assign(leaf.read(from: source.value), file: file, line: line)
            }
        } else {
            sink.value.assign(source.value, file: file, line: line)
        }
    }
}
