import BatchNormKit
import FuzzHarness

// libFuzzer target: any bytes as a lesson file run on a (simulated) terminal.
nonisolated(unsafe) let sandbox = FuzzHarness.makeSandbox()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLesson(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    TensorLimits.maxElements = 1 << 20
    FuzzHarness.runLesson(Array(UnsafeBufferPointer(start: data, count: size)), sandbox: sandbox)
    return 0
}
