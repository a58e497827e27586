#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (fuzz/seeds/<target>/): realistic inputs in the
harnesses' formats (fuzz/src/harness.rs), from which the fuzzer mutates.

    python3 fuzz/seeds/generate.py
"""
import base64
import json
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
rng = random.Random(20261122)


def field(data: bytes) -> bytes:
    return struct.pack(">H", len(data)) + data


def text(s: str) -> bytes:
    return field(s.encode())


def write(target: str, name: str, data: bytes) -> None:
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def rand_hex(bits: int) -> str:
    return format(rng.getrandbits(bits) % N or 1, "x")


# --- srp_session -------------------------------------------------------------------------
ts = struct.pack(">I", 1_763_800_000)
for i, (device, a_len) in enumerate([(False, 40), (True, 40), (False, 1), (True, 33), (False, 32)]):
    mode = 1 | (2 if device else 0)
    data = bytes([mode]) + field(rng.randbytes(a_len)) + field(rng.randbytes(16)) + field(rng.randbytes(32))
    data += field(rng.randbytes(rng.choice([1, 13, 96, 200]))) + text("alice") + text("Corr3ct-Horse!") + ts
    write("srp_session", f"honest-{i}", data)
# Leading zero bytes in a (the private value) and a short salt.
write("srp_session", "honest-zeros",
      bytes([1]) + field(b"\x00\x00" + rng.randbytes(38)) + field(b"\x00" + rng.randbytes(15))
      + field(rng.randbytes(32)) + field(b"block") + text("a") + text("") + ts)
raw_all = 0b111110
for name, b in [("raw-valid", rand_hex(3072)), ("raw-b-zero", "0"), ("raw-b-n", format(N, "x")),
                ("raw-b-huge", "f" * 1500), ("raw-b-odd", "abc"), ("raw-b-upper", rand_hex(3000).upper())]:
    data = bytes([raw_all]) + text(rand_hex(128)) + text(b) + text(base64.b64encode(rng.randbytes(64)).decode())
    data += text("alice") + text("alice") + ts
    write("srp_session", name, data)
write("srp_session", "raw-missing", bytes([0b000110]) + text("zz") + text("12") + text("!!!") + ts)
write("srp_session", "raw-bad-salt", bytes([raw_all]) + text("not hex") + text(rand_hex(3072)) + text("@@") + text("") + text(""))

# --- server_answers ----------------------------------------------------------------------
def ok(body: dict) -> bytes:
    return b"\x00" + json.dumps(body).encode()


def err(kind: str, message: str, status_byte: int = 4) -> bytes:
    return bytes([status_byte]) + json.dumps({"__type": kind, "message": message}).encode()


verifier = {
    "ChallengeName": "PASSWORD_VERIFIER",
    "ChallengeParameters": {
        "SALT": rand_hex(128), "SRP_B": rand_hex(3072),
        "SECRET_BLOCK": base64.b64encode(rng.randbytes(64)).decode(),
        "USER_ID_FOR_SRP": "alice", "USERNAME": "alice",
    },
}
result = {
    "AccessToken": "eyJ.access.t", "IdToken": "eyJ.id.t", "RefreshToken": "refresh-t",
    "ExpiresIn": 3600, "TokenType": "Bearer",
}
with_device = dict(result, NewDeviceMetadata={"DeviceKey": "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                                             "DeviceGroupKey": "-abcdEFGH"})
sms = {"ChallengeName": "SMS_MFA", "Session": "sess-2",
       "ChallengeParameters": {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100",
                               "USERNAME": "alice"}}
first = [ok(dict(verifier, Session="sess-1")), ok(sms), ok({"AuthenticationResult": with_device, "ChallengeParameters": {}}),
         ok({"UserConfirmationNecessary": False})]
device_params = dict(verifier["ChallengeParameters"], DEVICE_KEY=with_device["NewDeviceMetadata"]["DeviceKey"])
second = [ok(dict(verifier, Session="sess-3")),
          ok({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "sess-4", "ChallengeParameters": {"USERNAME": "alice"}}),
          ok({"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": "sess-5", "ChallengeParameters": device_params}),
          ok({"AuthenticationResult": result, "ChallengeParameters": {}})]
seeds = {
    "first-then-remembered": first + second,
    "prompt-remember": [ok(dict(verifier, Session="s")), ok({"AuthenticationResult": with_device}),
                        ok({"UserConfirmationNecessary": True}), ok({})] + second,
    "totp-and-select": [ok(dict(verifier, Session="s")),
                        ok({"ChallengeName": "SELECT_MFA_TYPE", "Session": "s2",
                            "ChallengeParameters": {"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}}),
                        ok({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s3", "ChallengeParameters": {}}),
                        ok({"AuthenticationResult": result})],
    "mfa-setup": [ok(dict(verifier, Session="s")),
                  ok({"ChallengeName": "MFA_SETUP", "Session": "s2", "ChallengeParameters": {"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}}),
                  ok({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "s3"}), ok({"Status": "SUCCESS", "Session": "s4"}),
                  ok({"AuthenticationResult": result})],
    "new-password": [ok(dict(verifier, Session="s")),
                     ok({"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s2",
                         "ChallengeParameters": {"requiredAttributes": "[\"userAttributes.email\"]", "userAttributes": "{}"}}),
                     ok({"AuthenticationResult": result})],
    "email-otp": [ok(dict(verifier, Session="s")),
                  ok({"ChallengeName": "EMAIL_OTP", "Session": "s2", "ChallengeParameters": {"CODE_DELIVERY_DESTINATION": "a***@e***"}}),
                  ok({"AuthenticationResult": with_device}), err("InternalErrorException", "boom", 5)] + second,
    "errors": [err("NotAuthorizedException", "Incorrect username or password."), err("TooManyRequestsException", "Rate exceeded"),
               err("ResourceNotFoundException", "Device does not exist."), b"\x05<html>nope</html>", b"\x07"],
    "device-forgotten": [ok(dict(verifier, Session="s")),
                         ok({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s4", "ChallengeParameters": {}}),
                         err("ResourceNotFoundException", "Device does not exist.")] + first,
}
for name, answers in seeds.items():
    write("server_answers", name, b"\x00\x00".join(answers))

# --- emulator_requests -------------------------------------------------------------------
def call(op: str, body) -> bytes:
    return op.encode() + b"\n" + (json.dumps(body).encode() if not isinstance(body, bytes) else body)


srp_a = rand_hex(3072)
calls = {
    "srp-start": [call("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": "fuzzclient",
                                        "AuthParameters": {"USERNAME": "alice", "SRP_A": srp_a}}),
                  call("RespondToAuthChallenge", {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": "fuzzclient", "Session": "x",
                                                  "ChallengeResponses": {"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA",
                                                                         "PASSWORD_CLAIM_SIGNATURE": "AAAA",
                                                                         "TIMESTAMP": "Sat Nov 22 03:00:00 UTC 2026"}})],
    "password-auth": [call("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "fuzzclient",
                                            "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Fuzz-Password-8c1e"}}),
                      call("RespondToAuthChallenge", {"ChallengeName": "SMS_MFA", "ClientId": "fuzzclient", "Session": "x",
                                                      "ChallengeResponses": {"USERNAME": "alice", "SMS_MFA_CODE": "123456"}})],
    "admin": [call("AdminGetUser", {"UserPoolId": "us-east-1_FuzzPool", "Username": "alice"}),
              call("AdminListDevices", {"UserPoolId": "us-east-1_FuzzPool", "Username": "alice"}),
              call("AdminSetUserMFAPreference", {"UserPoolId": "us-east-1_FuzzPool", "Username": "alice",
                                                 "SMSMfaSettings": {"Enabled": True, "PreferredMfa": True}}),
              call("DescribeUserPool", {"UserPoolId": "us-east-1_FuzzPool"})],
    "provision": [call("CreateUserPool", {"PoolName": "p", "MfaConfiguration": "OPTIONAL"}),
                  call("SignUp", {"ClientId": "fuzzclient", "Username": "bob", "Password": "Bob-Password-1",
                                  "UserAttributes": [{"Name": "email", "Value": "b@example.com"}]}),
                  call("ConfirmSignUp", {"ClientId": "fuzzclient", "Username": "bob", "ConfirmationCode": "000000"})],
    "device-ops": [call("ConfirmDevice", {"AccessToken": "x", "DeviceKey": "us-east-1_k",
                                          "DeviceSecretVerifierConfig": {"PasswordVerifier": "AAAA", "Salt": "AAAA"}}),
                   call("ListDevices", {"AccessToken": "x"}), call("ForgetDevice", {"DeviceKey": "k"}),
                   call("GetTokensFromRefreshToken", {"ClientId": "fuzzclient", "RefreshToken": "r"})],
    "junk": [b"InitiateAuth\n[1,2]", b"\n{}", b"NoSuchOp\n{}", call("InitiateAuth", b"{\"AuthFlow\": 7}"), b"InitiateAuth\n"],
}
for name, cs in calls.items():
    write("emulator_requests", name, b"\x00".join(cs))
print("seeds written under", HERE)
