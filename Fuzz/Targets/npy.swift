import FuzzHarness

// libFuzzer target: any bytes as a .npy file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.runNpy(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
