// Interop check: Amplify JS v6 (aws-amplify/auth) against the emulator.
//
//   cargo run -p cognito-emulator -- --port 9229 &
//   npm install aws-amplify@6
//   cp emulator/interop/amplify_v6_check.mjs DIR_WITH_node_modules/ && node DIR_WITH_node_modules/amplify_v6_check.mjs http://127.0.0.1:9229
//
// SMS MFA pool, device tracking: signIn -> CONFIRM_SIGN_IN_WITH_SMS_CODE -> confirmSignIn (Amplify
// confirms the new device itself) -> signOut -> signIn again: no MFA (DEVICE_SRP_AUTH).
import { Amplify } from "aws-amplify";
import { signIn, confirmSignIn, signOut, fetchAuthSession, fetchDevices } from "aws-amplify/auth";

// Amplify names the device from `navigator`, which Node 20 lacks (it then skips ConfirmDevice
// silently); a browser or React Native has one.
globalThis.navigator ??= { userAgent: "node" };

const endpoint = process.argv[2] || "http://127.0.0.1:9229";
const PASSWORD = "Correct-Horse-9";

async function call(operation, body) {
  const response = await fetch(endpoint + "/", {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService." + operation },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(operation + ": " + JSON.stringify(json));
  return json;
}

const { UserPool } = await call("CreateUserPool", {
  PoolName: "amplify-interop",
  MfaConfiguration: "ON",
  DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
});
const { UserPoolClient } = await call("CreateUserPoolClient", { UserPoolId: UserPool.Id, ClientName: "amplify" });
await call("AdminCreateUser", {
  UserPoolId: UserPool.Id,
  Username: "alice",
  MessageAction: "SUPPRESS",
  UserAttributes: [{ Name: "phone_number", Value: "+15555550100" }],
});
await call("AdminSetUserPassword", { UserPoolId: UserPool.Id, Username: "alice", Password: PASSWORD, Permanent: true });

Amplify.configure({
  Auth: { Cognito: { userPoolId: UserPool.Id, userPoolClientId: UserPoolClient.ClientId, userPoolEndpoint: endpoint } },
});

const first = await signIn({ username: "alice", password: PASSWORD });
if (first.nextStep.signInStep !== "CONFIRM_SIGN_IN_WITH_SMS_CODE") throw new Error("expected SMS MFA: " + JSON.stringify(first));
const messages = await (await fetch(endpoint + "/_emulator/sms?username=alice")).json();
const done = await confirmSignIn({ challengeResponse: messages[messages.length - 1].code });
if (!done.isSignedIn) throw new Error("not signed in: " + JSON.stringify(done));
const devices = await fetchDevices();
if (devices.length !== 1) throw new Error("Amplify should have confirmed one device: " + JSON.stringify(devices));
await signOut();

const second = await signIn({ username: "alice", password: PASSWORD });
if (!second.isSignedIn) throw new Error("MFA asked on a remembered device: " + JSON.stringify(second.nextStep));
const session = await fetchAuthSession();
if (session.tokens.accessToken.payload.device_key !== devices[0].id) throw new Error("access token not bound to the device");
console.log("Amplify v6 interop ok (SMS MFA, ConfirmDevice, DEVICE_SRP_AUTH)");
