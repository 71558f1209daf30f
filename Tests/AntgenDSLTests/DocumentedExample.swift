// The first example of docs/dsl.md, verbatim (DocumentedExampleTests checks the page still shows it).
import AntgenDSL

/// A bundle: named, typed fields; `first declared = most significant` when packed.
struct Sample: BundleSpec {
    let valid = Field(.bool)
    let data: Field
    init(width: Int) { data = Field(.sint(width)) }
}

struct Accumulator: Circuit {
    let width: Int
    var name: String { "Accumulator" }
    var parameters: [Parameter] { [Parameter("width", width)] }

    /// The interface, declared once: the module body and every instance use it.
    struct Ports: PortSpec {
        let sample: Port<Sample>
        let clear = Port.input(.bool)
        let total: Port<HardwareType>
    }
    var ports: Ports {
        Ports(sample: .input(Sample(width: width)), total: .output(.sint(width + 8)))
    }

    func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let acc = m.register("acc", .sint(width + 8), reset: 0)
        m.when(io.clear) {
            acc.assign(0)
        }.elseWhen(io.sample.valid) {
            acc.assign(acc &+ io.sample.data.extended(to: width + 8))   // wrapping, as intended
        }
        io.total.assign(acc)
    }
}

/// Two accumulators behind one another's inputs, through typed instance handles.
struct TwoAccumulators: Circuit {
    var name: String { "TwoAccumulators" }
    struct Ports: PortSpec {
        let sample = Port.input(Sample(width: 8))
        let total = Port.output(.sint(16))
    }
    var ports: Ports { Ports() }

    func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let first = m.instance(Accumulator(width: 8), name: "first")
        let second = m.instance(Accumulator(width: 8), name: "second")
        first.sample.assign(io.sample)                      // a whole bundle
        first.clear.assign(Value.bool(false))
        second.sample.valid.assign(io.sample.valid)         // or field by field
        second.sample.data.assign(first.total.truncated(to: 8).asSInt)
        second.clear.assign(Value.bool(false))
        io.total.assign(second.total)
    }
}
