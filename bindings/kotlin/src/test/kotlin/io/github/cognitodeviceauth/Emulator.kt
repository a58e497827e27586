package io.github.cognitodeviceauth

import java.io.File
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.TimeUnit

const val POOL_ID = "us-east-1_KotlinTest"
const val CLIENT_ID = "kotlintestclient"
const val PASSWORD = "Correct-Horse-9"

/** The users the seed creates: `alice`, `bob`... and `user00`..`user19` for the concurrency test. */
val SEEDED_USERS = listOf("alice", "bob", "carol", "dave", "erin", "frank", "gina") +
    (0 until 20).map { "user%02d".format(it) }

/**
 * The emulator binary (built by the Maven build with cargo), started on a free port with a seed
 * file: one pool with SMS MFA required and devices remembered without asking, one app client,
 * the users above with a verified phone number.
 */
class Emulator : AutoCloseable {
    private val process: Process
    val endpoint: String
    private val http = HttpClient.newHttpClient()

    init {
        val binary = System.getProperty("emulator.binary")
            ?: error("the system property emulator.binary is not set (run through Maven)")
        val seed = File.createTempFile("cognito-seed", ".json").apply { deleteOnExit() }
        seed.writeText(seedJson())
        process = ProcessBuilder(binary, "--port", "0", "--seed", seed.path)
            // Its request log goes to a file next to the test reports, not into Maven's output.
            .redirectError(ProcessBuilder.Redirect.appendTo(File(System.getProperty("emulator.log", "target/emulator.log"))))
            .start()
        val line = process.inputStream.bufferedReader().readLine()
            ?: error("the emulator exited before listening: ${process.waitFor()}")
        endpoint = Regex("listening on (http://\\S+)").find(line)?.groupValues?.get(1)
            ?: error("unexpected first line from the emulator: $line")
    }

    /** The last SMS code sent to [username], from the emulator's outbox. */
    fun lastSmsCode(username: String): String {
        val name = URLEncoder.encode(username, Charsets.UTF_8)
        val request = HttpRequest.newBuilder(URI.create("$endpoint/_emulator/sms?username=$name")).GET().build()
        val body = http.send(request, HttpResponse.BodyHandlers.ofString()).body()
        return Regex("\"code\"\\s*:\\s*\"(\\d+)\"").findAll(body).lastOrNull()?.groupValues?.get(1)
            ?: error("no SMS was sent to $username: $body")
    }

    /** How many SMS were sent to [username]. */
    fun smsCount(username: String): Int {
        val name = URLEncoder.encode(username, Charsets.UTF_8)
        val request = HttpRequest.newBuilder(URI.create("$endpoint/_emulator/sms?username=$name")).GET().build()
        val body = http.send(request, HttpResponse.BodyHandlers.ofString()).body()
        return Regex("\"code\"").findAll(body).count()
    }

    /** How many calls of [operation] reached the emulator (its `/_emulator/calls` counter). */
    fun calls(operation: String): Int {
        val request = HttpRequest.newBuilder(URI.create("$endpoint/_emulator/calls")).GET().build()
        val body = http.send(request, HttpResponse.BodyHandlers.ofString()).body()
        return Regex("\"$operation\"\\s*:\\s*(\\d+)").find(body)?.groupValues?.get(1)?.toInt() ?: 0
    }

    /** Makes the next call of [operation] take [delayMs] longer at the server (a fault). */
    fun delayNext(operation: String, delayMs: Int) {
        val body = """{"operation":"$operation","kind":"delay","count":1,"delay_ms":$delayMs}"""
        val request = HttpRequest.newBuilder(URI.create("$endpoint/_emulator/faults"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build()
        val status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()
        check(status == 200) { "the fault was refused: $status" }
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    private fun seedJson(): String {
        val users = SEEDED_USERS.joinToString(",") { name ->
            """{"Username":"$name","Password":"$PASSWORD","Attributes":{"phone_number":"+15555550100","phone_number_verified":"true"}}"""
        }
        return """
            {"pools":[{
              "Id":"$POOL_ID",
              "PoolName":"kotlin-tests",
              "MfaConfiguration":"ON",
              "DeviceConfiguration":{"ChallengeRequiredOnNewDevice":true,"DeviceOnlyRememberedOnUserPrompt":false},
              "Clients":[{"ClientId":"$CLIENT_ID","ClientName":"kotlin",
                          "ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}],
              "Users":[$users]
            }]}
        """.trimIndent()
    }
}
