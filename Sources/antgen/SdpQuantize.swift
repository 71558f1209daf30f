import AntgenNumerics
import ArgumentParser
import Foundation

/// `antgen quantize --mode sdp` options: the budget and the optional layer weights.
struct SdpQuantizeOptions: ParsableArguments {
    @Option(help: "With --mode sdp: values per group G along the last axis (1…64).")
    var group: Int = 8

    @Option(help: "With --mode sdp: kept parts per group T (1…2G; default G).")
    var terms: Int?

    @Option(help: "With --mode sdp: a .safetensors file of the layers' weights ([out, in]); an activation tensor X.input is compared on the layer output X.weight, against exact int8, next to int4, int6 and the DRQ-style baseline.")
    var layerWeights: String?

    @Flag(help: "With --mode sdp --layer-weights: the comparison table for T/G = 1, 1.25, 1.5, 2 (T from G), DRQ at the same average and at equal SQNR, cycles on an 8x8 array (docs/sdp.md).")
    var sweep = false
}

