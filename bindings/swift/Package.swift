// swift-tools-version:6.0
// The Swift bindings of cognito-device-auth: `import CognitoDeviceAuth`.
//
// Swift 6 language mode (tools version 6.0): complete strict-concurrency checking for the
// package, its tests and the README example.
//
// The generated sources (Sources/CognitoDeviceAuth/CognitoDeviceAuth.swift, headers/) are
// committed. Where the native library comes from differs by platform:
// - Apple platforms: CognitoDeviceAuthFFI.xcframework, built on a Mac by ./build-xcframework.sh
//   (iOS device, iOS simulator and macOS slices; the static library with the same headers). A
//   release replaces the local path with `.binaryTarget(name:url:checksum:)` pointing at the
//   zipped XCFramework.
// - Linux (a server or desktop app, and CI: ./test-linux.sh): the FFI module is the generated
//   header and module map in headers/ (a system-library target), linked against the shared
//   library libcognito_device_auth_ffi.so of bindings/ffi (`cargo build -p
//   cognito-device-auth-ffi`). Tell the linker and the loader where it is, e.g.
//   `swift build -Xlinker -L$DIR` and `LD_LIBRARY_PATH=$DIR swift test` (or install it on the
//   system library path).
import PackageDescription

#if os(Linux)
let ffi: Target = .systemLibrary(name: "CognitoDeviceAuthFFI", path: "headers")
// The module map is generated (uniffi) and names no library, so the link is declared here.
let ffiLink: [LinkerSetting] = [.linkedLibrary("cognito_device_auth_ffi")]
#else
let ffi: Target = .binaryTarget(name: "CognitoDeviceAuthFFI", path: "CognitoDeviceAuthFFI.xcframework")
let ffiLink: [LinkerSetting] = []
#endif

let package = Package(
    name: "CognitoDeviceAuth",
    platforms: [.iOS(.v13), .macOS(.v10_15)],
    products: [
        .library(name: "CognitoDeviceAuth", targets: ["CognitoDeviceAuth"]),
    ],
    targets: [
        ffi,
        .target(
            name: "CognitoDeviceAuth",
            dependencies: ["CognitoDeviceAuthFFI"],
            path: "Sources/CognitoDeviceAuth",
            linkerSettings: ffiLink
        ),
        .testTarget(
            name: "CognitoDeviceAuthTests",
            dependencies: ["CognitoDeviceAuth"],
            path: "Tests/CognitoDeviceAuthTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
