"""Interop check: pycognito's AWSSRP (an independent reference client) against the emulator.

    cargo run -p cognito-emulator -- --port 9229 &
    pip install pycognito boto3
    python3 emulator/interop/pycognito_check.py http://127.0.0.1:9229

Exercises USER_SRP_AUTH, ConfirmDevice with pycognito's verifier, and the device sign-in
(pycognito sends DEVICE_SRP_AUTH without a Session, with the typed USERNAME and the SRP_A of the
password step); with a client secret, the user SRP only (see below).
"""

import sys

import boto3
from pycognito.aws_srp import AWSSRP, generate_hash_device

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9229"
idp = boto3.client(
    "cognito-idp",
    region_name="us-east-1",
    endpoint_url=endpoint,
    aws_access_key_id="AKID",
    aws_secret_access_key="SECRET",
)

for secret in (False, True):
    pool = idp.create_user_pool(
        PoolName="interop",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False},
    )["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="py", GenerateSecret=secret)["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Correct-Horse-9", Permanent=True)
    kwargs = dict(pool_id=pool, client_id=client["ClientId"], client=idp, client_secret=client.get("ClientSecret"))

    tokens = AWSSRP(username="alice", password="Correct-Horse-9", **kwargs).authenticate_user()
    metadata = tokens["AuthenticationResult"]["NewDeviceMetadata"]
    device_password, verifier = generate_hash_device(metadata["DeviceGroupKey"], metadata["DeviceKey"])
    confirmed = idp.confirm_device(
        AccessToken=tokens["AuthenticationResult"]["AccessToken"],
        DeviceKey=metadata["DeviceKey"],
        DeviceSecretVerifierConfig=verifier,
        DeviceName="pycognito",
    )
    assert confirmed["UserConfirmationNecessary"] is False, confirmed

    if secret:
        # pycognito leaves SECRET_HASH out of its DEVICE_SRP_AUTH answer, which Cognito (and so the
        # emulator) refuses for a client with a secret: only the user SRP is checked here.
        print("pycognito interop ok (client secret: True, user SRP only)")
        continue

    again = AWSSRP(
        username="alice",
        password="Correct-Horse-9",
        device_key=metadata["DeviceKey"],
        device_group_key=metadata["DeviceGroupKey"],
        device_password=device_password,
        **kwargs,
    ).authenticate_user()
    result = again["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result, result
    assert result["AccessToken"]

    try:
        AWSSRP(username="alice", password="wrong-Password-1", **kwargs).authenticate_user()
        raise SystemExit("wrong password accepted")
    except idp.exceptions.NotAuthorizedException as e:
        assert "Incorrect username or password." in str(e), e
    print(f"pycognito interop ok (client secret: {secret})")
