// Interop check: amazon-cognito-identity-js (AWS's reference user-pool client) against the emulator.
//
//   cargo run -p cognito-emulator -- --port 9229 &
//   npm install amazon-cognito-identity-js@6
//   NODE_PATH=./node_modules node emulator/interop/identity_js_check.cjs http://127.0.0.1:9229
//
// SMS MFA pool with remembered devices: the first sign-in answers SMS_MFA (code from the outbox)
// and the library confirms the new device by itself; the second sign-in with the stored device
// goes PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER with no MFA.
const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require("amazon-cognito-identity-js");

const endpoint = process.argv[2] || "http://127.0.0.1:9229";
const PASSWORD = "Correct-Horse-9";

async function call(operation, body) {
  const response = await fetch(endpoint + "/", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService." + operation,
    },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(operation + ": " + JSON.stringify(json));
  return json;
}

function signIn(pool, onMfa) {
  return new Promise((resolve, reject) => {
    const user = new CognitoUser({ Username: "alice", Pool: pool });
    user.authenticateUser(new AuthenticationDetails({ Username: "alice", Password: PASSWORD }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary, mfa: user.mfaAsked }),
      onFailure: reject,
      mfaRequired: async () => {
        user.mfaAsked = true;
        const code = await onMfa();
        user.sendMFACode(code, {
          onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary, mfa: true }),
          onFailure: reject,
        });
      },
      newPasswordRequired: () => reject(new Error("unexpected NEW_PASSWORD_REQUIRED")),
    });
  });
}

(async () => {
  const { UserPool } = await call("CreateUserPool", {
    PoolName: "js-interop",
    MfaConfiguration: "ON",
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
  });
  const { UserPoolClient } = await call("CreateUserPoolClient", { UserPoolId: UserPool.Id, ClientName: "js" });
  await call("AdminCreateUser", {
    UserPoolId: UserPool.Id,
    Username: "alice",
    MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "phone_number", Value: "+15555550100" }],
  });
  await call("AdminSetUserPassword", { UserPoolId: UserPool.Id, Username: "alice", Password: PASSWORD, Permanent: true });

  const pool = new CognitoUserPool({ UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, endpoint });
  const smsCode = async () => {
    const messages = await (await fetch(endpoint + "/_emulator/sms?username=alice")).json();
    return messages[messages.length - 1].code;
  };
  const first = await signIn(pool, smsCode);
  if (!first.mfa) throw new Error("first sign-in should ask SMS MFA");
  const devices = await call("AdminListDevices", { UserPoolId: UserPool.Id, Username: "alice" });
  if (devices.Devices.length !== 1) throw new Error("the library should have confirmed one device");

  const second = await signIn(pool, async () => {
    throw new Error("MFA asked on a remembered device");
  });
  if (second.mfa) throw new Error("MFA asked on a remembered device");
  const payload = JSON.parse(Buffer.from(second.session.getAccessToken().getJwtToken().split(".")[1], "base64url"));
  if (payload.device_key !== devices.Devices[0].DeviceKey) throw new Error("access token not bound to the device");
  console.log("amazon-cognito-identity-js interop ok (SMS MFA, ConfirmDevice, DEVICE_SRP_AUTH)");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
