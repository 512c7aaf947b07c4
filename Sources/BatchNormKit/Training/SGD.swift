/// Stochastic gradient descent with momentum, PyTorch's `torch.optim.SGD` (no dampening, no
/// Nesterov, no weight decay): what moves a model's parameters after each backward pass.
///
///     v ← g                 on the first step
///     v ← momentum·v + g    afterwards
///     p ← p − lr·v
/// The velocity buffers live here, one per parameter, as in PyTorch's optimizer state; stepping
/// a different model starts them afresh. Frozen norm parameters are skipped entirely.
public struct SGD {
    public var learningRate: Double
    public var momentum: Double
    private var velocities: [[Float]?] = []
    private var model: ObjectIdentifier?

    public init(learningRate: Double, momentum: Double = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// One update of every parameter that has a gradient from the last backward pass.
    public mutating func step(_ model: some TrainableModel) {
        let slots = model.parameterSlots
        if self.model != ObjectIdentifier(model) || velocities.count != slots.count {
            velocities = Array(repeating: nil, count: slots.count)
            self.model = ObjectIdentifier(model)
        }
        let lr = Float(learningRate), mu = Float(momentum)
        for (index, slot) in slots.enumerated() {
            if slot.isNormParameter && model.normParametersFrozen { continue }
            guard let g = slot.gradient() else { continue }
            var p = slot.values()
            guard g.count == p.count else { continue }
            var v: [Float]
            // Taken out of the array first, so the buffer is unique and updated in place (no copy).
            if momentum != 0, var previous = velocities[index].take(), previous.count == g.count {
                previous.withUnsafeMutableBufferPointer { v in
                    g.withUnsafeBufferPointer { g in for i in v.indices { v[i] = mu * v[i] + g[i] } }
                }
                v = previous
            } else {
                v = g
            }
            p.withUnsafeMutableBufferPointer { p in
                v.withUnsafeBufferPointer { v in for i in p.indices { p[i] -= lr * v[i] } }
            }
            if momentum != 0 { velocities[index] = v }
            slot.write(p)
        }
    }
}
