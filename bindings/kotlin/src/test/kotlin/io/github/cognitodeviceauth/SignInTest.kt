package io.github.cognitodeviceauth

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** The bindings against the emulator binary, over real HTTP, as an app would use them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInTest {
    private lateinit var emulator: Emulator

    @BeforeAll
    fun start() {
        emulator = Emulator()
    }

    @AfterAll
    fun stop() {
        emulator.close()
    }

    private fun client(store: SecretStore = InMemorySecretStore()) = Client(
        ClientConfig(
            userPoolId = POOL_ID,
            clientId = CLIENT_ID,
            endpoint = emulator.endpoint,
            deviceName = "JUnit",
            timeout = java.time.Duration.ofSeconds(10),
            store = store,
        ),
    )

    /** Signs in answering the SMS code from the outbox; returns the result. */
    private suspend fun signInWithSms(client: Client, username: String): SignedIn {
        val first = client.signIn(username, PASSWORD)
        val sms = assertIs<SignInStep.SmsCode>(first, "the first sign-in asks for the SMS code")
        assertEquals(MfaType.SMS, sms.step.mfaType())
        val done = sms.step.submit(emulator.lastSmsCode(username))
        return assertNotNull(done.signedInOrNull, "signed in after the code, got $done")
    }

    @Test
    fun `a remembered device skips MFA until it is forgotten`() = runBlocking {
        val store = InMemorySecretStore()
        val client = client(store)

        val first = signInWithSms(client, "alice")
        assertEquals(MfaType.SMS, first.mfa)
        assertTrue(first.device.newlyConfirmed)
        assertTrue(first.device.remembered)
        val deviceKey = assertNotNull(first.device.deviceKey)

        val second = assertIs<SignInStep.Done>(client.signIn("alice", PASSWORD), "no MFA step").signedIn
        assertTrue(second.device.skippedMfa)
        assertEquals(null, second.mfa)
        assertEquals(deviceKey, second.device.deviceKey)

        val devices = client.devices(second.tokens)
        val listed = assertNotNull(devices.find { it.deviceKey == deviceKey }, "listed: $devices")
        assertEquals("JUnit", listed.name)
        assertEquals(true, listed.remembered)
        val local = assertNotNull(client.currentDevice(second.username))
        assertEquals(deviceKey, local.deviceKey)
        assertTrue(local.remembered)
        assertNotNull(local.confirmedAt)

        val refreshed = client.refresh(second.username, assertNotNull(second.tokens.refreshToken))
        assertTrue(refreshed.accessToken.isNotEmpty())
        assertTrue(refreshed.expiresAt.isAfter(java.time.Instant.now()))

        client.forgetDevice(refreshed, second.username, null)
        assertEquals(null, client.currentDevice(second.username))
        assertIs<SignInStep.SmsCode>(client.signIn("alice", PASSWORD), "MFA again once forgotten")
        Unit
    }

    @Test
    fun `a wrong password is NotAuthorized`() = runBlocking {
        val e = assertThrows<CognitoException.NotAuthorized> {
            runBlocking { client().signIn("bob", "wrong-password-1") }
        }
        assertEquals("NotAuthorizedException", e.errorType)
        assertEquals("NotAuthorizedException", e.serviceErrorType)
        assertNotNull(e.requestId, "the AWS request id is kept for support tickets")
        assertFalse(e.isRetryable())
    }

    @Test
    fun `a wrong code is CodeMismatch and the step can be answered again, once`() = runBlocking {
        val client = client()
        val sms = assertIs<SignInStep.SmsCode>(client.signIn("carol", PASSWORD))
        val right = emulator.lastSmsCode("carol")
        val wrong = if (right == "000000") "111111" else "000000"
        val e = assertThrows<CognitoException.CodeMismatch> { runBlocking { sms.step.submit(wrong) } }
        assertEquals("CodeMismatchException", e.errorType)
        assertFalse(e.isRetryable())
        assertNotNull(sms.step.submit(right).signedInOrNull)
        // The step object is spent once an answer was accepted.
        val twice = assertThrows<CognitoException.Misuse> { runBlocking { sms.step.submit(right) } }
        assertFalse(twice.isRetryable())
        Unit
    }

    @Test
    fun `the Kotlin store keeps the device for a new client`() = runBlocking {
        val store = InMemorySecretStore()
        signInWithSms(client(store), "dave")
        assertTrue(store.accounts.isNotEmpty(), "the SDK wrote its records to the Kotlin store")
        // A new client (a new process, say) with the same store proves the remembered device.
        val again = assertIs<SignInStep.Done>(client(store).signIn("dave", PASSWORD)).signedIn
        assertTrue(again.device.skippedMfa)
    }

    @Test
    fun `a password as bytes signs in, and local wipes need no network`() = runBlocking {
        val store = InMemorySecretStore()
        val client = client(store)
        val password = PASSWORD.toByteArray(Charsets.UTF_8)
        val sms = assertIs<SignInStep.SmsCode>(client.signInWithPasswordBytes("gina", password))
        password.fill(0)
        val first = assertNotNull(sms.step.submit(emulator.lastSmsCode("gina")).signedInOrNull)
        assertTrue(first.device.remembered)
        // No e-mail, user, pool or client id in the names other processes could see.
        for (account in store.accounts) {
            for (clear in listOf("gina", POOL_ID, CLIENT_ID)) assertFalse(account.contains(clear), account)
        }

        // Offline: a client on the same store whose endpoint refuses every connection.
        val offline = Client(ClientConfig(POOL_ID, CLIENT_ID, endpoint = "http://127.0.0.1:9", store = store))
        assertTrue(offline.forgetDeviceLocally("gina"))
        assertEquals(null, client.currentDevice("gina"))
        val again = assertIs<SignInStep.SmsCode>(client.signIn("gina", PASSWORD), "MFA again without the local device")
        assertNotNull(again.step.submit(emulator.lastSmsCode("gina")).signedInOrNull)
        assertFalse(offline.forgetDeviceLocally("nobody"))
        // The new device's record (the index is the SDK's bookkeeping, not counted).
        assertEquals(1uL, offline.removeAllLocalEntries())
        assertTrue(store.accounts.isEmpty(), "${store.accounts}")
        offline.close()

        val notUtf8 = byteArrayOf(0xff.toByte(), 0xfe.toByte())
        assertThrows<CognitoException.InvalidStepAnswer> { runBlocking { client.signInWithPasswordBytes("gina", notUtf8) } }
        Unit
    }

    @Test
    fun `a store that throws surfaces as StoreFailed`() = runBlocking {
        val throwing = object : SecretStore {
            override fun read(account: String): ByteArray? = throw IllegalStateException("disk on fire")
            override fun write(account: String, secret: ByteArray) = throw IllegalStateException("disk on fire")
            override fun delete(account: String) = throw IllegalStateException("disk on fire")
        }
        val e = assertThrows<CognitoException.StoreFailed> {
            runBlocking { client(throwing).signIn("erin", PASSWORD) }
        }
        assertTrue(e.reason.contains("disk on fire"), e.reason)
    }

    @Test
    fun `a locked store surfaces as StoreUnavailable`() = runBlocking {
        val locked = object : SecretStore {
            override fun read(account: String): ByteArray? = throw SecretStoreException.Unavailable("locked")
            override fun write(account: String, secret: ByteArray) = throw SecretStoreException.Unavailable("locked")
            override fun delete(account: String) = throw SecretStoreException.Unavailable("locked")
        }
        val e = assertThrows<CognitoException.StoreUnavailable> {
            runBlocking { client(locked).signIn("frank", PASSWORD) }
        }
        assertEquals("locked", e.reason)
        assertTrue(e.isRetryable())
    }

    @Test
    fun `twenty concurrent sign-ins from coroutines`() = runBlocking {
        val client = client()
        val users = (0 until 20).map { "user%02d".format(it) }
        val results = coroutineScope {
            users.map { user -> async(Dispatchers.Default) { user to signInWithSms(client, user) } }.awaitAll()
        }
        assertEquals(20, results.size)
        for ((user, signedIn) in results) {
            assertEquals(user, signedIn.username)
            assertTrue(signedIn.device.remembered, "$user: ${signedIn.device}")
        }
        assertEquals(20, results.map { it.second.device.deviceKey }.toSet().size)
    }

    @Test
    fun `fifty coroutines asking for the session share one refresh, and events flow`() = runBlocking {
        val client = Client(
            ClientConfig(
                userPoolId = POOL_ID,
                clientId = CLIENT_ID,
                endpoint = emulator.endpoint,
                deviceName = "JUnit",
                keepSessions = true,
                store = InMemorySecretStore(),
            ),
        )
        val events = mutableListOf<SessionEvent>()
        val collecting = launch(Dispatchers.Default) { client.sessionEvents().collect { synchronized(events) { events.add(it) } } }
        delay(200) // the observation is registered
        val signedIn = signInWithSms(client, "dave")
        val before = emulator.calls("GetTokensFromRefreshToken")
        // The refresh takes 300 ms at the server: all fifty arrive while it is in flight.
        emulator.delayNext("GetTokensFromRefreshToken", 300)
        // A margin longer than the tokens' hour: every caller needs a refresh, one is made.
        val force = java.time.Duration.ofHours(10)
        val sessions = coroutineScope {
            (0 until 50).map { async(Dispatchers.Default) { client.session(null, force) } }.awaitAll()
        }
        assertEquals(1, emulator.calls("GetTokensFromRefreshToken") - before, "exactly one refresh")
        assertTrue(sessions.all { it.refreshed && it.username == "dave" })
        assertEquals(1, sessions.map { it.tokens.accessToken }.toSet().size)
        val report = client.endSession(null, SignOut(scope = SignOutScope.THIS_SESSION))
        assertEquals(null, report.serverError)
        assertThrows<CognitoException.NoSession> { runBlocking { client.session(null, null) } }
        delay(200)
        collecting.cancel()
        val seen = synchronized(events) { events.toList() }
        assertEquals(
            listOf(
                SessionEvent.SignedIn(signedIn.username),
                SessionEvent.Refreshed(signedIn.username),
                SessionEvent.SignedOut(signedIn.username),
            ),
            seen,
        )
    }

    @Test
    fun `secrets are not printed`() {
        val config = ClientConfig(POOL_ID, CLIENT_ID, clientSecret = "s3cr3t-client-secret")
        assertFalse(config.toString().contains("s3cr3t"), config.toString())
        val tokens = Tokens("id.jwt.value", "access.jwt.value", "refresh-value", "Bearer", java.time.Instant.now())
        val printed = tokens.toString()
        for (secret in listOf("id.jwt.value", "access.jwt.value", "refresh-value")) {
            assertFalse(printed.contains(secret), printed)
        }
        assertTrue(printed.contains("[redacted]"), printed)
    }

    @Test
    fun `a malformed pool id or plain http to another host fails in the constructor`() {
        for (config in listOf(
            ClientConfig(userPoolId = "no-underscore", clientId = CLIENT_ID, store = InMemorySecretStore()),
            // Would otherwise become a request to a made-up cognito-idp.evil.example... host.
            ClientConfig(userPoolId = "evil.example_Abc", clientId = CLIENT_ID, store = InMemorySecretStore()),
            ClientConfig(POOL_ID, CLIENT_ID, endpoint = "http://10.0.0.2:9229", store = InMemorySecretStore()),
        )) {
            val e = assertThrows<CognitoException.Configuration> { Client(config) }
            assertTrue(e.reason.isNotEmpty())
        }
        // https anywhere, plain http to this machine.
        Client(ClientConfig(POOL_ID, CLIENT_ID, endpoint = "https://proxy.example", store = InMemorySecretStore())).close()
        Client(ClientConfig(POOL_ID, CLIENT_ID, endpoint = "http://localhost:9", store = InMemorySecretStore())).close()
    }

    @Test
    fun `keychain options are checked in the constructor`() {
        // Valid options: the client is made; the keychain is opened only when used.
        Client(ClientConfig(POOL_ID, CLIENT_ID, keychain = KeychainOptions(service = "com.example.app"))).close()
        for (config in listOf(
            ClientConfig(POOL_ID, CLIENT_ID, keychain = KeychainOptions(service = " ")),
            ClientConfig(POOL_ID, CLIENT_ID, store = InMemorySecretStore(), keychain = KeychainOptions()),
        )) {
            val e = assertThrows<CognitoException.Configuration> { Client(config) }
            assertTrue(e.reason.isNotEmpty())
        }
    }
}
