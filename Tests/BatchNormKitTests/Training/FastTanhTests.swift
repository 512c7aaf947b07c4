@testable import BatchNormKit
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The float32 tanh the networks use, against libm's Float64 tanh on a dense grid.
@Suite struct FastTanhTests {
    @Test func withinAFewUlpEverywhere() {
        var worstUlps: Float = 0, worstAbsolute: Double = 0
        var x: Float = -12
        while x <= 12 {
            let exact = tanh(Double(x)), got = FastTanh.value(x)
            let error = abs(Double(got) - exact)
            worstAbsolute = max(worstAbsolute, error)
            worstUlps = max(worstUlps, Float(error) / Float(exact).ulp)
            x = x.nextUp.nextUp.nextUp + 1e-5
        }
        #expect(worstAbsolute < 4e-7, "largest absolute error \(worstAbsolute)")
        #expect(worstUlps <= 8, "largest error \(worstUlps) ulp")
    }

    @Test func limitsAndOddness() {
        #expect(FastTanh.value(20) == 1 && FastTanh.value(-20) == -1)
        #expect(FastTanh.value(0) == 0 && FastTanh.value(1e-6) == 1e-6)
        for v: Float in [0.1, 0.5, 1, 2.5, 5] { #expect(FastTanh.value(-v) == -FastTanh.value(v)) }
        #expect(FastTanh.value(.nan).isNaN)
    }
}
