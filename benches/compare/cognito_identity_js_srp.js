#!/usr/bin/env node
// Client-CPU cost of the SRP maths of a remembered-device sign-in, measured
// through amazon-cognito-identity-js's own SRP code (AuthenticationHelper), and,
// when it is installed next to it, through @aws-amplify/auth v6's internal SRP
// helpers (dist/cjs/providers/cognito/utils/srp).
//
// Operations timed (see README.md in this folder):
//   (a)  ephemeral        new AuthenticationHelper(poolName) + getLargeAValue(cb):
//                         fresh 128-byte a and A = g^a mod N, as CognitoUser does
//                         before InitiateAuth and before DEVICE_SRP_AUTH
//   (b)  user verifier    PASSWORD_VERIFIER: parse SRP_B/SALT into BigInteger,
//                         getPasswordAuthenticationKey(cb), DateHelper.getNowString,
//                         HMAC signature exactly as CognitoUser.authenticateUserDefaultAuth
//                         builds it (Sha256(hkdf) over poolName||userId||SECRET_BLOCK||TIMESTAMP)
//   (b') device verifier  DEVICE_PASSWORD_VERIFIER, as CognitoUser.getDeviceResponse
//   (c)  full             2x(a) + (b) + (b'), the remembered-device sign-in
//
// The library's calls are callback-based (the callbacks happen to run
// synchronously); each one is wrapped in a Promise and awaited.
// No network, no CognitoUser/CognitoUserPool object: fixed challenges only.
//
// Run from the directory where the packages were installed with npm:
//   node path/to/cognito_identity_js_srp.js [--samples N] [--warmup N]
'use strict';

const path = require('path');
const crypto = require('crypto');
const { createRequire } = require('module');

// Resolve packages from the current directory (the npm install folder), not
// from this file's location inside the repository.
const req = createRequire(path.join(process.cwd(), 'noop.js'));

const args = process.argv.slice(2);
function arg(name, def) {
	const i = args.indexOf(name);
	return i >= 0 ? parseInt(args[i + 1], 10) : def;
}
const SAMPLES = arg('--samples', 40);
const WARMUP = arg('--warmup', 5);

// ---- fixed inputs -----------------------------------------------------------
const N_HEX =
	'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff';
const N = BigInt('0x' + N_HEX);
const G = 2n;

const POOL_ID = 'us-east-1_AbCdEf123';
const POOL_NAME = POOL_ID.split('_')[1];
const PASSWORD = 'correct horse battery';
const USER_ID_FOR_SRP = '6f1c2b8e-4a3d-4c1b-9a53-0d1e2f3a4b5c';
const DEVICE_KEY = 'us-east-1_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const DEVICE_GROUP_KEY = '-Xy9Zk3Lm';
// Fixed device password in the shape ConfirmDevice makes (base64 of 40 bytes).
const DEVICE_PASSWORD = Buffer.alloc(40, 0x11).toString('base64');

const SALT = 'e7dc204cebbfda6b62b8493e932f7f4c';
const SRP_B = (BigInt('0x' + '5a'.repeat(384)) % N).toString(16);
const SECRET_BLOCK = Buffer.alloc(1280, 0x07).toString('base64');

const USER_CHALLENGE = {
	SALT,
	SRP_B,
	SECRET_BLOCK,
	USER_ID_FOR_SRP,
	USERNAME: USER_ID_FOR_SRP,
};
const DEVICE_CHALLENGE = { SALT, SRP_B, SECRET_BLOCK, USERNAME: USER_ID_FOR_SRP };

// ---- independent reference (docs/protocol.md sections 1-4), only to check ---------
function modPow(b, e, m) {
	let r = 1n;
	b %= m;
	while (e > 0n) {
		if (e & 1n) r = (r * b) % m;
		b = (b * b) % m;
		e >>= 1n;
	}
	return r;
}
function pad(n) {
	let h = n.toString(16);
	if (h.length % 2) h = '0' + h;
	if (/^[89a-f]/.test(h)) h = '00' + h;
	return Buffer.from(h, 'hex');
}
const H = b => crypto.createHash('sha256').update(b).digest();
const big = b => BigInt('0x' + b.toString('hex'));
const hmac = (k, m) => crypto.createHmac('sha256', k).update(m).digest();
function refSignature(a, name, ident, password, ch, timestamp) {
	const A = modPow(G, a, N);
	const B = BigInt('0x' + ch.SRP_B);
	const salt = BigInt('0x' + ch.SALT);
	const k = big(H(Buffer.concat([pad(N), pad(G)])));
	const u = big(H(Buffer.concat([pad(A), pad(B)])));
	const x = big(H(Buffer.concat([pad(salt), H(Buffer.from(`${name}${ident}:${password}`, 'utf8'))])));
	const base = (((B - k * modPow(G, x, N)) % N) + N) % N;
	const S = modPow(base, a + u * x, N);
	const prk = hmac(pad(u), pad(S));
	const key = hmac(prk, Buffer.from('Caldera Derived Key\x01', 'utf8')).subarray(0, 16);
	const msg = Buffer.concat([
		Buffer.from(name, 'utf8'),
		Buffer.from(ident, 'utf8'),
		Buffer.from(ch.SECRET_BLOCK, 'base64'),
		Buffer.from(timestamp, 'utf8'),
	]);
	return hmac(key, msg).toString('base64');
}

// ---- measurement -------------------------------------------------------------
function quantile(sorted, q) {
	// linear interpolation between closest ranks (same as Python's 'inclusive')
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
function summary(xs) {
	const s = [...xs].sort((a, b) => a - b);
	return [quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9)];
}
async function measure(fn) {
	for (let i = 0; i < WARMUP; i++) await fn();
	const wall = [];
	const cpu = [];
	for (let i = 0; i < SAMPLES; i++) {
		const c0 = process.cpuUsage();
		const t0 = process.hrtime.bigint();
		await fn();
		const t1 = process.hrtime.bigint();
		const c = process.cpuUsage(c0);
		wall.push(Number(t1 - t0) / 1e6);
		cpu.push((c.user + c.system) / 1e3);
	}
	return { wall, cpu };
}
const fmt = v => v.toFixed(2).padStart(9);
async function report(ops) {
	console.log(
		`${'operation'.padEnd(44)} ${'median'.padStart(9)} ${'p10'.padStart(9)} ${'p90'.padStart(9)}   (ms; wall | process CPU)`
	);
	for (const [label, fn] of ops) {
		const { wall, cpu } = await measure(fn);
		const [wm, w10, w90] = summary(wall);
		const [cm, c10, c90] = summary(cpu);
		console.log(`${label.padEnd(44)} ${fmt(wm)} ${fmt(w10)} ${fmt(w90)}   wall`);
		console.log(`${''.padEnd(44)} ${fmt(cm)} ${fmt(c10)} ${fmt(c90)}   cpu`);
	}
}
function check(got, want, what) {
	if (got !== want) {
		console.error(`self-check failed: ${what}: ${got} != ${want}`);
		process.exit(1);
	}
}

// ---- amazon-cognito-identity-js ---------------------------------------------
async function benchIdentityJs() {
	const pkgJson = req('amazon-cognito-identity-js/package.json');
	const libReq = createRequire(req.resolve('amazon-cognito-identity-js'));
	const { AuthenticationHelper, DateHelper } = libReq('./index.js');
	const BigInteger = libReq('./BigInteger.js').default; // same class the helper uses
	const { Sha256 } = libReq('@aws-crypto/sha256-js'); // the library's own dependency
	const { Buffer: Buf } = libReq('buffer'); // what CognitoUser imports

	const cb2p = f => new Promise((res, rej) => f((e, v) => (e ? rej(e) : res(v))));

	// (a) what CognitoUser does before InitiateAuth / DEVICE_SRP_AUTH
	async function ephemeral(poolName) {
		const helper = new AuthenticationHelper(poolName);
		const A = await cb2p(cb => helper.getLargeAValue(cb));
		return { helper, srpA: A.toString(16) };
	}
	// (b) body of authenticateUserDefaultAuth / getDeviceResponse after the challenge
	async function verifier(helper, ch, name, ident, password) {
		const serverBValue = new BigInteger(ch.SRP_B, 16);
		const salt = new BigInteger(ch.SALT, 16);
		const hkdf = await cb2p(cb =>
			helper.getPasswordAuthenticationKey(ident, password, serverBValue, salt, cb)
		);
		const dateNow = new DateHelper().getNowString();
		const concatBuffer = Buf.concat([
			Buf.from(name, 'utf8'),
			Buf.from(ident, 'utf8'),
			Buf.from(ch.SECRET_BLOCK, 'base64'),
			Buf.from(dateNow, 'utf8'),
		]);
		const awsCryptoHash = new Sha256(hkdf);
		awsCryptoHash.update(concatBuffer);
		const resultFromAWSCrypto = awsCryptoHash.digestSync();
		const signatureString = Buf.from(resultFromAWSCrypto).toString('base64');
		return { TIMESTAMP: dateNow, PASSWORD_CLAIM_SIGNATURE: signatureString };
	}
	const userVerifier = h => verifier(h, USER_CHALLENGE, POOL_NAME, USER_ID_FOR_SRP, PASSWORD);
	const deviceVerifier = h =>
		verifier(h, DEVICE_CHALLENGE, DEVICE_GROUP_KEY, DEVICE_KEY, DEVICE_PASSWORD);

	// self-check against the protocol maths with the helper's own a
	{
		const { helper } = await ephemeral(POOL_NAME);
		const a = BigInt('0x' + helper.getSmallAValue().toString(16));
		const r = await userVerifier(helper);
		check(r.PASSWORD_CLAIM_SIGNATURE,
			refSignature(a, POOL_NAME, USER_ID_FOR_SRP, PASSWORD, USER_CHALLENGE, r.TIMESTAMP), 'user signature');
		const d = await ephemeral(DEVICE_GROUP_KEY);
		const a2 = BigInt('0x' + d.helper.getSmallAValue().toString(16));
		const r2 = await deviceVerifier(d.helper);
		check(r2.PASSWORD_CLAIM_SIGNATURE,
			refSignature(a2, DEVICE_GROUP_KEY, DEVICE_KEY, DEVICE_PASSWORD, DEVICE_CHALLENGE, r2.TIMESTAMP), 'device signature');
	}

	console.log(`amazon-cognito-identity-js ${pkgJson.version}, Node ${process.version}, ${process.arch}, pid ${process.pid}, nice ${require('os').getPriority()}`);
	console.log(`private a: 128 random bytes (generateRandomSmallA); BigInteger: bundled jsbn (Tom Wu); samples=${SAMPLES} warmup=${WARMUP}; self-check OK`);
	const fixedUser = (await ephemeral(POOL_NAME)).helper;
	const fixedDevice = (await ephemeral(DEVICE_GROUP_KEY)).helper;
	await report([
		['(a)  ephemeral a, A', () => ephemeral(POOL_NAME)],
		['(b)  PASSWORD_VERIFIER answer', () => userVerifier(fixedUser)],
		["(b') DEVICE_PASSWORD_VERIFIER answer", () => deviceVerifier(fixedDevice)],
		['(c)  full remembered-device = 2(a)+2(b)', async () => {
			const u = await ephemeral(POOL_NAME); // USER_SRP_AUTH
			await userVerifier(u.helper); // PASSWORD_VERIFIER
			const d = await ephemeral(DEVICE_GROUP_KEY); // DEVICE_SRP_AUTH
			await deviceVerifier(d.helper); // DEVICE_PASSWORD_VERIFIER
		}],
	]);
}

// ---- @aws-amplify/auth v6 (optional) -----------------------------------------
async function benchAmplify() {
	let authDir;
	try {
		authDir = path.dirname(req.resolve('@aws-amplify/auth/package.json'));
	} catch (e) {
		console.log('\n@aws-amplify/auth not installed here: skipped');
		return;
	}
	const pkgJson = req('@aws-amplify/auth/package.json');
	const coreJson = req('@aws-amplify/core/package.json');
	const srpDir = path.join(authDir, 'dist/cjs/providers/cognito/utils/srp');
	const { getAuthenticationHelper, getNowString, getSignatureString } = require(path.join(srpDir, 'index.js'));
	const { BigInteger } = require(path.join(srpDir, 'BigInteger/index.js'));

	// (a) getAuthenticationHelper: random 128-byte a, A (signInHelpers / handleDeviceSRPAuth)
	const ephemeral = name => getAuthenticationHelper(name);
	// (b) handlePasswordVerifierChallenge / handleDevicePasswordVerifier, minus the request
	async function verifier(helper, ch, name, ident, password) {
		const serverBValue = new BigInteger(ch.SRP_B, 16);
		const salt = new BigInteger(ch.SALT, 16);
		const hkdf = await helper.getPasswordAuthenticationKey({ username: ident, password, serverBValue, salt });
		const dateNow = getNowString();
		const sig = getSignatureString({ username: ident, userPoolName: name, challengeParameters: ch, dateNow, hkdf });
		return { TIMESTAMP: dateNow, PASSWORD_CLAIM_SIGNATURE: sig };
	}
	const userVerifier = h => verifier(h, USER_CHALLENGE, POOL_NAME, USER_ID_FOR_SRP, PASSWORD);
	const deviceVerifier = h =>
		verifier(h, DEVICE_CHALLENGE, DEVICE_GROUP_KEY, DEVICE_KEY, DEVICE_PASSWORD);

	{
		const h = await ephemeral(POOL_NAME);
		const r = await userVerifier(h);
		check(r.PASSWORD_CLAIM_SIGNATURE,
			refSignature(BigInt('0x' + h.a.toString(16)), POOL_NAME, USER_ID_FOR_SRP, PASSWORD, USER_CHALLENGE, r.TIMESTAMP), 'amplify user signature');
		const d = await ephemeral(DEVICE_GROUP_KEY);
		const r2 = await deviceVerifier(d);
		check(r2.PASSWORD_CLAIM_SIGNATURE,
			refSignature(BigInt('0x' + d.a.toString(16)), DEVICE_GROUP_KEY, DEVICE_KEY, DEVICE_PASSWORD, DEVICE_CHALLENGE, r2.TIMESTAMP), 'amplify device signature');
	}

	console.log(`\n@aws-amplify/auth ${pkgJson.version} (@aws-amplify/core ${coreJson.version}), Node ${process.version}`);
	console.log(`private a: 128 random bytes (getAuthenticationHelper); BigInteger: bundled jsbn; samples=${SAMPLES} warmup=${WARMUP}; self-check OK`);
	const fixedUser = await ephemeral(POOL_NAME);
	const fixedDevice = await ephemeral(DEVICE_GROUP_KEY);
	await report([
		['(a)  ephemeral a, A', () => ephemeral(POOL_NAME)],
		['(b)  PASSWORD_VERIFIER answer', () => userVerifier(fixedUser)],
		["(b') DEVICE_PASSWORD_VERIFIER answer", () => deviceVerifier(fixedDevice)],
		['(c)  full remembered-device = 2(a)+2(b)', async () => {
			await userVerifier(await ephemeral(POOL_NAME));
			await deviceVerifier(await ephemeral(DEVICE_GROUP_KEY));
		}],
	]);
}

(async () => {
	await benchIdentityJs();
	if (!args.includes('--no-amplify')) await benchAmplify();
})().catch(e => {
	console.error(e);
	process.exit(1);
});
