#!/usr/bin/env python3
"""Client-CPU cost of the SRP maths of a remembered-device sign-in, measured
through pycognito's own SRP code (pycognito.aws_srp.AWSSRP).

Operations timed (see README.md in this folder):
  (a) ephemeral      fresh private a and A = g^a mod N
                     (AWSSRP.generate_random_small_a + AWSSRP.calculate_a)
  (b) user verifier  PASSWORD_VERIFIER answer: challenge dict -> signed response
                     (AWSSRP.process_challenge: parse SALT/SRP_B, u, x, S, HKDF,
                     TIMESTAMP, HMAC over poolName||userId||SECRET_BLOCK||TIMESTAMP)
  (b') device verifier  DEVICE_PASSWORD_VERIFIER answer (AWSSRP.process_device_challenge)
  (c) full           2x(a) + (b) + (b'): a remembered-device sign-in with a fresh a
                     for DEVICE_SRP_AUTH, as docs/protocol.md asks
  (c') as shipped    1x(a) + (b) + (b'): what AWSSRP.authenticate_user really does
                     (it reuses the USER_SRP_AUTH a for DEVICE_SRP_AUTH)

No network: the AWSSRP object gets a dummy boto3 client and fixed challenges.
Usage: python pycognito_srp.py [--samples N] [--warmup N]
"""
import argparse
import base64
import hashlib
import hmac
import importlib.metadata
import os
import platform
import statistics
import sys
import time

from pycognito.aws_srp import AWSSRP, N_HEX

N = int(N_HEX, 16)
G = 2

POOL_ID = "us-east-1_AbCdEf123"
CLIENT_ID = "benchclientid0000000000000"
USERNAME = "alice"
PASSWORD = "correct horse battery"
USER_ID_FOR_SRP = "6f1c2b8e-4a3d-4c1b-9a53-0d1e2f3a4b5c"
DEVICE_KEY = "us-east-1_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
DEVICE_GROUP_KEY = "-Xy9Zk3Lm"
# Fixed device password in the shape ConfirmDevice makes (base64 of 40 bytes).
DEVICE_PASSWORD = base64.b64encode(bytes([0x11]) * 40).decode()

SALT = "e7dc204cebbfda6b62b8493e932f7f4c"
SRP_B = format(int.from_bytes(b"\x5a" * 384, "big") % N, "x")
SECRET_BLOCK = base64.b64encode(b"\x07" * 1280).decode()

USER_CHALLENGE = {
    "SALT": SALT,
    "SRP_B": SRP_B,
    "SECRET_BLOCK": SECRET_BLOCK,
    "USER_ID_FOR_SRP": USER_ID_FOR_SRP,
    "USERNAME": USER_ID_FOR_SRP,
}
DEVICE_CHALLENGE = {
    "SALT": SALT,
    "SRP_B": SRP_B,
    "SECRET_BLOCK": SECRET_BLOCK,
    "USERNAME": USER_ID_FOR_SRP,
}
REQUEST_PARAMS = {"USERNAME": USERNAME}


class _NoClient:
    """Stands in for the boto3 cognito-idp client; never called here."""


def make_srp():
    return AWSSRP(
        username=USERNAME,
        password=PASSWORD,
        pool_id=POOL_ID,
        client_id=CLIENT_ID,
        client=_NoClient(),
        device_key=DEVICE_KEY,
        device_group_key=DEVICE_GROUP_KEY,
        device_password=DEVICE_PASSWORD,
    )


# --- independent reference (docs/protocol.md sections 1-4), used only to check ---
def _pad(n):
    h = format(n, "x")
    if len(h) % 2:
        h = "0" + h
    if h[0] in "89abcdef":
        h = "00" + h
    return bytes.fromhex(h)


def _H(b):
    return hashlib.sha256(b).digest()


def _ref_signature(a, name, ident, password, challenge, timestamp):
    A = pow(G, a, N)
    B = int(challenge["SRP_B"], 16)
    salt = int(challenge["SALT"], 16)
    k = int.from_bytes(_H(_pad(N) + _pad(G)), "big")
    u = int.from_bytes(_H(_pad(A) + _pad(B)), "big")
    x = int.from_bytes(_H(_pad(salt) + _H(f"{name}{ident}:{password}".encode())), "big")
    S = pow((B - k * pow(G, x, N)) % N, a + u * x, N)
    prk = hmac.new(_pad(u), _pad(S), hashlib.sha256).digest()
    key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
    msg = name.encode() + ident.encode() + base64.b64decode(challenge["SECRET_BLOCK"]) + timestamp.encode()
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def self_check():
    """The library's answers must match the protocol maths for the same a."""
    srp = make_srp()
    pool_name = POOL_ID.split("_")[1]
    r = srp.process_challenge(USER_CHALLENGE, REQUEST_PARAMS)
    want = _ref_signature(srp.small_a_value, pool_name, USER_ID_FOR_SRP, PASSWORD, USER_CHALLENGE, r["TIMESTAMP"])
    if r["PASSWORD_CLAIM_SIGNATURE"] != want:
        raise SystemExit("self-check failed: user signature mismatch")
    r = srp.process_device_challenge(DEVICE_CHALLENGE)
    want = _ref_signature(srp.small_a_value, DEVICE_GROUP_KEY, DEVICE_KEY, DEVICE_PASSWORD, DEVICE_CHALLENGE, r["TIMESTAMP"])
    if r["PASSWORD_CLAIM_SIGNATURE"] != want:
        raise SystemExit("self-check failed: device signature mismatch")


# --- the operations -----------------------------------------------------------
def op_ephemeral(srp):
    srp.small_a_value = srp.generate_random_small_a()
    srp.large_a_value = srp.calculate_a()


def op_user_verifier(srp):
    return srp.process_challenge(USER_CHALLENGE, REQUEST_PARAMS)


def op_device_verifier(srp):
    return srp.process_device_challenge(DEVICE_CHALLENGE)


def op_full(srp):
    op_ephemeral(srp)               # USER_SRP_AUTH: SRP_A
    op_user_verifier(srp)           # PASSWORD_VERIFIER
    op_ephemeral(srp)               # DEVICE_SRP_AUTH: fresh SRP_A
    op_device_verifier(srp)         # DEVICE_PASSWORD_VERIFIER


def op_as_shipped(srp):
    op_ephemeral(srp)
    op_user_verifier(srp)
    op_device_verifier(srp)


def measure(fn, srp, samples, warmup):
    for _ in range(warmup):
        fn(srp)
    wall, cpu = [], []
    for _ in range(samples):
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        fn(srp)
        t1 = time.perf_counter_ns()
        c1 = time.thread_time_ns()
        wall.append((t1 - t0) / 1e6)
        cpu.append((c1 - c0) / 1e6)
    return wall, cpu


def summary(xs):
    q = statistics.quantiles(xs, n=10, method="inclusive")
    return statistics.median(xs), q[0], q[8]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()

    self_check()
    srp = make_srp()
    print(f"pycognito {importlib.metadata.version('pycognito')}, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}, pid {os.getpid()}, nice {os.nice(0)}")
    print(f"private a: {128} random bytes mod N (generate_random_small_a); "
          f"samples={args.samples} warmup={args.warmup}; self-check OK")
    print(f"{'operation':<44} {'median':>9} {'p10':>9} {'p90':>9}   (ms; wall | thread CPU)")
    ops = [
        ("(a)  ephemeral a, A", op_ephemeral),
        ("(b)  PASSWORD_VERIFIER answer", op_user_verifier),
        ("(b') DEVICE_PASSWORD_VERIFIER answer", op_device_verifier),
        ("(c)  full remembered-device = 2(a)+2(b)", op_full),
        ("(c') as authenticate_user does: 1(a)+2(b)", op_as_shipped),
    ]
    for label, fn in ops:
        wall, cpu = measure(fn, srp, args.samples, args.warmup)
        wm, w10, w90 = summary(wall)
        cm, c10, c90 = summary(cpu)
        print(f"{label:<44} {wm:9.2f} {w10:9.2f} {w90:9.2f}   wall")
        print(f"{'':<44} {cm:9.2f} {c10:9.2f} {c90:9.2f}   cpu")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
