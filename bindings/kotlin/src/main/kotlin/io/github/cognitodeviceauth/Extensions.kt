// The small idiomatic layer over the generated bindings (cognito_device_auth.kt).

package io.github.cognitodeviceauth

import java.util.concurrent.ConcurrentHashMap
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.callbackFlow

/** The signed-in result when this is the last step, else null. */
val SignInStep.signedInOrNull: SignedIn?
    get() = (this as? SignInStep.Done)?.signedIn

/** The code step when the sign-in asks for an SMS, authenticator or e-mail code, else null. */
val SignInStep.codeStepOrNull: CodeStep?
    get() = when (this) {
        is SignInStep.SmsCode -> step
        is SignInStep.TotpCode -> step
        is SignInStep.EmailCode -> step
        else -> null
    }

/** Cognito's error type (e.g. `NotAuthorizedException`) when the service answered the error. */
val CognitoException.serviceErrorType: String?
    get() = when (this) {
        is CognitoException.NotAuthorized -> errorType
        is CognitoException.CodeMismatch -> errorType
        is CognitoException.Expired -> errorType
        is CognitoException.InvalidPassword -> errorType
        is CognitoException.UserNotConfirmed -> errorType
        is CognitoException.PasswordResetRequired -> errorType
        is CognitoException.DeviceForgotten -> errorType
        is CognitoException.Throttled -> errorType
        is CognitoException.LockedOut -> errorType
        is CognitoException.InvalidRequest -> errorType
        is CognitoException.Service -> errorType
        is CognitoException.SessionEnded -> errorType
        else -> null
    }

/**
 * The sign-ins, refreshes, sign-outs and ended sessions of this client, as a cold [Flow]: each
 * collector observes from the moment it starts collecting until it is cancelled.
 */
fun Client.sessionEvents(): Flow<SessionEvent> = callbackFlow {
    val observation = observeSessions(object : SessionListener {
        override fun onEvent(event: SessionEvent) {
            trySend(event)
        }
    })
    awaitClose { observation.cancel() }
}

/**
 * A [SecretStore] in memory: device secrets are lost when the process ends, so every new
 * process asks for MFA again. For tests and throw-away sessions; an Android app implements
 * [SecretStore] over its encrypted storage, or leaves `ClientConfig.store` null for the keychain.
 */
class InMemorySecretStore : SecretStore {
    private val entries = ConcurrentHashMap<String, ByteArray>()

    /** The accounts stored, for tests. */
    val accounts: Set<String> get() = entries.keys.toSet()

    override fun read(account: String): ByteArray? = entries[account]?.copyOf()

    override fun write(account: String, secret: ByteArray) {
        entries[account] = secret.copyOf()
    }

    override fun delete(account: String) {
        entries.remove(account)
    }
}
