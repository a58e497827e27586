// swift-tools-version:5.9
// The Swift bindings of cognito-device-auth: `import CognitoDeviceAuth`.
//
// The generated sources (Sources/CognitoDeviceAuth/CognitoDeviceAuth.swift, headers/) are
// committed; the native library comes as CognitoDeviceAuthFFI.xcframework, built on a Mac by
// ./build-xcframework.sh (iOS device, iOS simulator and macOS slices). A release replaces the
// local path with `.binaryTarget(name:url:checksum:)` pointing at the zipped XCFramework.
import PackageDescription

let package = Package(
    name: "CognitoDeviceAuth",
    platforms: [.iOS(.v13), .macOS(.v10_15)],
    products: [
        .library(name: "CognitoDeviceAuth", targets: ["CognitoDeviceAuth"]),
    ],
    targets: [
        .binaryTarget(name: "CognitoDeviceAuthFFI", path: "CognitoDeviceAuthFFI.xcframework"),
        .target(
            name: "CognitoDeviceAuth",
            dependencies: ["CognitoDeviceAuthFFI"],
            path: "Sources/CognitoDeviceAuth"
        ),
        .testTarget(
            name: "CognitoDeviceAuthTests",
            dependencies: ["CognitoDeviceAuth"],
            path: "Tests/CognitoDeviceAuthTests"
        ),
    ]
)
