// The small idiomatic layer over the generated bindings (CognitoDeviceAuth.swift), the Swift
// side of the Kotlin package's Extensions.kt. Written by hand: bindings/generate.sh does not
// touch this file.

extension SignInStep {
    /// The signed-in result when this is the last step, else nil.
    public var signedIn: SignedIn? {
        if case let .done(signedIn) = self { return signedIn }
        return nil
    }

    /// The code step when the sign-in asks for an SMS, authenticator or e-mail code, else nil.
    public var codeStep: CodeStep? {
        switch self {
        case let .smsCode(step), let .totpCode(step), let .emailCode(step): return step
        default: return nil
        }
    }
}

extension CognitoError {
    /// Cognito's error type (e.g. `NotAuthorizedException`) when the service answered the error.
    public var serviceErrorType: String? {
        switch self {
        case let .NotAuthorized(errorType, _, _, _), let .CodeMismatch(errorType, _, _, _),
             let .Expired(errorType, _, _, _), let .InvalidPassword(errorType, _, _, _),
             let .UserNotConfirmed(errorType, _, _, _), let .PasswordResetRequired(errorType, _, _, _),
             let .DeviceForgotten(errorType, _, _, _), let .Throttled(errorType, _, _, _),
             let .LockedOut(errorType, _, _, _), let .InvalidRequest(errorType, _, _, _),
             let .Service(errorType, _, _, _), let .SessionEnded(_, errorType, _, _, _):
            return errorType
        case .DevicePending, .StoreUnavailable, .StoreFailed, .Network, .InvalidServerAnswer,
             .Configuration, .InvalidStepAnswer, .NoSession, .Misuse:
            return nil
        }
    }
}

extension Client {
    /// The sign-ins, refreshes, sign-outs and ended sessions of this client, as an
    /// `AsyncStream`: events from the moment the stream is made until it is cancelled.
    public func sessionEvents() async -> AsyncStream<SessionEvent> {
        let (stream, continuation) = AsyncStream<SessionEvent>.makeStream()
        let observation = await observeSessions(listener: StreamListener(continuation))
        continuation.onTermination = { _ in observation.cancel() }
        return stream
    }
}

/// Forwards session events into an `AsyncStream`.
private final class StreamListener: SessionListener, @unchecked Sendable {
    private let continuation: AsyncStream<SessionEvent>.Continuation

    init(_ continuation: AsyncStream<SessionEvent>.Continuation) {
        self.continuation = continuation
    }

    func onEvent(event: SessionEvent) {
        continuation.yield(event)
    }
}
