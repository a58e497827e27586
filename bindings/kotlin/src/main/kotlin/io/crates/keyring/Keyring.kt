package io.crates.keyring

/**
 * The JNI entry point the Android keychain store exports from `libcognito_device_auth_ffi.so`
 * (`Java_io_crates_keyring_Keyring_00024Companion_initializeNdkContext`, in the crate
 * `android-native-keyring-store`): its package, class and companion are fixed by that symbol.
 * Apps call [io.github.cognitodeviceauth.CognitoAndroid.initialize] instead.
 */
class Keyring {
    companion object {
        init {
            System.loadLibrary("cognito_device_auth_ffi")
        }

        /**
         * Stores the JavaVM and a global reference to `context` for the native library. An
         * instance method of the companion on purpose: `@JvmStatic` would change the JNI symbol.
         */
        external fun initializeNdkContext(context: Any)
    }
}
