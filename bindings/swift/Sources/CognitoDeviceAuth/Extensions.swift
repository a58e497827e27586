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
             let .Service(errorType, _, _, _):
            return errorType
        case .DevicePending, .StoreUnavailable, .StoreFailed, .Network, .InvalidServerAnswer,
             .Configuration, .InvalidStepAnswer, .Misuse:
            return nil
        }
    }
}
