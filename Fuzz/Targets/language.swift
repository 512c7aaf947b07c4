import BatchNormKit
import FuzzHarness

// libFuzzer target: any bytes as input lines to the whole language (lexer, parser, interpreter).
nonisolated(unsafe) let sandbox = FuzzHarness.makeSandbox()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLanguage(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    // A smaller element cap keeps each input fast; the cap itself is what is being exercised.
    TensorLimits.maxElements = 1 << 20
    FuzzHarness.runLanguage(Array(UnsafeBufferPointer(start: data, count: size)), sandbox: sandbox)
    return 0
}
