@testable import BatchNormKit
import Testing

/// LayerNorm, InstanceNorm and GroupNorm against PyTorch on a (2, 6, 3, 4) input.
@Suite struct OtherNormsReferenceTests {
    let x: Tensor
    init() throws { x = try ReferenceVectors.load("other_norms", "x") }

    func load(_ name: String) throws -> Tensor { try ReferenceVectors.load("other_norms", name) }

    @Test func layerNormOverChannelsAndPositions() throws {
        let ln = try LayerNorm(normalizedShape: [6, 3, 4])
        try ln.setGamma(load("ln_weight"))
        try ln.setBeta(load("ln_bias"))
        expectClose(try ln.forward(x).scalars, try load("layer_norm").scalars, "layer_norm")
    }

    @Test func instanceNormWithAffine() throws {
        let inn = try InstanceNorm(numFeatures: 6, affine: true)
        try inn.setGamma(load("ch_weight"))
        try inn.setBeta(load("ch_bias"))
        expectClose(try inn.forward(x).scalars, try load("instance_norm").scalars, "instance_norm")
    }

    @Test func groupNormWithThreeGroups() throws {
        let gn = try GroupNorm(numGroups: 3, numChannels: 6)
        try gn.setGamma(load("ch_weight"))
        try gn.setBeta(load("ch_bias"))
        expectClose(try gn.forward(x).scalars, try load("group_norm").scalars, "group_norm")
    }

    @Test func defaultsAreTorchDefaults() throws {
        let inn = try InstanceNorm(numFeatures: 3)
        #expect(inn.affine == false && inn.eps == 1e-5)
        let gn = try GroupNorm(numGroups: 1, numChannels: 3)
        #expect(gn.affine && gn.eps == 1e-5)
        let ln = try LayerNorm(normalizedShape: [3])
        #expect(ln.elementwiseAffine && ln.eps == 1e-5)
    }

    @Test func errorsFollowPyTorch() throws {
        #expect(throws: TensorError.groupsDoNotDivide(channels: 4, groups: 3)) { try GroupNorm(numGroups: 3, numChannels: 4) }
        let inn = try InstanceNorm(numFeatures: 4)
        #expect(throws: TensorError.oneSpatialElement([2, 4, 1])) { try inn.forward(Tensor.zeros([2, 4, 1])) }
        let ln = try LayerNorm(normalizedShape: [8])
        #expect(throws: TensorError.self) { try ln.forward(Tensor.zeros([64, 4])) }
    }
}
