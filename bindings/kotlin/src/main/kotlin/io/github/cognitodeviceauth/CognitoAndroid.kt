package io.github.cognitodeviceauth

/**
 * Android set-up. Call [initialize] once, in `Application.onCreate()`, before the first [Client]
 * is made: the default device-secret store (the Android Keystore) and the platform certificate
 * verifier (Android's `X509TrustManager`, so user-installed and corporate CAs are honoured)
 * both reach the JVM through the application context handed over here.
 *
 * Desktop JVMs need no set-up and must not call this.
 */
object CognitoAndroid {
    /**
     * Hands `context` (an `android.content.Context`, typed `Any` so that this file also builds
     * for the desktop JVM) to the native library. Later calls are ignored.
     */
    fun initialize(context: Any) {
        val contextClass = try {
            Class.forName("android.content.Context")
        } catch (e: ClassNotFoundException) {
            throw IllegalStateException("CognitoAndroid.initialize is for Android only", e)
        }
        require(contextClass.isInstance(context)) {
            "CognitoAndroid.initialize needs an android.content.Context, got ${context.javaClass.name}"
        }
        io.crates.keyring.Keyring.initializeNdkContext(context)
    }
}
