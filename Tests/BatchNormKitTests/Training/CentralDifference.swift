@testable import BatchNormKit

/// The central difference (L(p + h) − L(p − h)) / 2h of the loss for element j of `slot`, the
/// parameter put back afterwards; `crossed` is asked after each step whether it crossed a kink
/// (a ReLU flipped, a max-pool changed its choice), where the difference means nothing.
func centralDifference(_ slot: ParameterSlot, _ j: Int, h: Float, loss: () throws -> Double,
                       crossed: () -> Bool) rethrows -> (numeric: Double, crossed: Bool) {
    let original = slot.values()
    var values = original
    values[j] = original[j] + h
    slot.write(values)
    let plus = try loss(), crossedPlus = crossed()
    values[j] = original[j] - h
    slot.write(values)
    let minus = try loss(), crossedMinus = crossed()
    slot.write(original)
    return ((plus - minus) / (Double(original[j] + h) - Double(original[j] - h)), crossedPlus || crossedMinus)
}
