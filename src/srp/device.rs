//! Remembered devices: the secret generated for ConfirmDevice, and the DEVICE_SRP_AUTH /
//! DEVICE_PASSWORD_VERIFIER exchange that proves it later (docs/protocol.md 4).

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::SrpError;
use super::answer::PasswordVerifierAnswer;
use super::challenge::PasswordVerifierChallenge;
use super::encoding::{base64_encode, pad};
use super::ephemeral::{Ephemeral, residue_minimal_bytes};
use super::exchange::{Identity, private_key_x, prove};
use super::group::g_pow;
use super::secret::DevicePassword;
use super::timestamp::Timestamp;
use crate::ids::{DeviceGroupKey, DeviceKey, UserIdForSrp};

/// Random bytes in a device password (base64-encoded), as amazon-cognito-identity-js does.
const DEVICE_PASSWORD_BYTES: usize = 40;
/// Random bytes in a device salt.
const DEVICE_SALT_BYTES: usize = 16;

/// ConfirmDevice's `DeviceSecretVerifierConfig`: base64 of the padded verifier and salt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSecretVerifierConfig {
    /// `PasswordVerifier` = base64(pad(g^x mod N)).
    pub password_verifier: String,
    /// `Salt` = base64(pad(salt)).
    pub salt: String,
}

impl DeviceSecretVerifierConfig {
    /// The verifier for a device password and the raw random salt bytes:
    /// x = H(pad(salt) || H(DeviceGroupKey || DeviceKey || ":" || password)), v = g^x mod N.
    /// The salt is read as an integer, so a leading zero byte disappears from `Salt`
    /// (`vectors/device_verifier.json`).
    pub fn compute(
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
        password: &DevicePassword,
        salt: &[u8],
    ) -> Self {
        let identity = Identity {
            realm: device_group_key,
            user_id: device_key,
            secret: password.expose(),
        };
        let x = private_key_x(salt, &identity);
        let verifier = Zeroizing::new(g_pow(&*x, 256));
        Self {
            password_verifier: base64_encode(&pad(&residue_minimal_bytes(&verifier))),
            salt: base64_encode(&pad(salt)),
        }
    }
}

/// A new device secret: the password to keep in the keychain and the verifier to send with
/// ConfirmDevice.
#[derive(Debug)]
pub struct NewDeviceSecret {
    /// The device password (secret; store it before ConfirmDevice).
    pub password: DevicePassword,
    /// What ConfirmDevice sends.
    pub verifier: DeviceSecretVerifierConfig,
}

impl NewDeviceSecret {
    /// A fresh password (40 random bytes, base64) and salt (16 random bytes) from the OS
    /// CSPRNG, and their verifier.
    pub fn generate(
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
    ) -> Result<Self, SrpError> {
        let mut password = Zeroizing::new([0u8; DEVICE_PASSWORD_BYTES]);
        let mut salt = [0u8; DEVICE_SALT_BYTES];
        getrandom::fill(password.as_mut()).map_err(|e| SrpError::Randomness(e.to_string()))?;
        getrandom::fill(&mut salt).map_err(|e| SrpError::Randomness(e.to_string()))?;
        Ok(Self::from_random(
            device_key,
            device_group_key,
            password.as_ref(),
            &salt,
        ))
    }

    /// A verifier for an existing device password with a fresh random salt: ConfirmDevice sent
    /// again for a device whose first confirmation is not known to have succeeded (any verifier
    /// of the same password proves the same secret).
    pub fn verifier_for(
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
        password: &DevicePassword,
    ) -> Result<DeviceSecretVerifierConfig, SrpError> {
        let mut salt = [0u8; DEVICE_SALT_BYTES];
        getrandom::fill(&mut salt).map_err(|e| SrpError::Randomness(e.to_string()))?;
        Ok(DeviceSecretVerifierConfig::compute(
            device_key,
            device_group_key,
            password,
            &salt,
        ))
    }

    /// The same from a caller-supplied CSPRNG, for reproducible tests.
    pub fn generate_with_rng<R: CryptoRng + ?Sized>(
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
        rng: &mut R,
    ) -> Self {
        let mut password = Zeroizing::new([0u8; DEVICE_PASSWORD_BYTES]);
        let mut salt = [0u8; DEVICE_SALT_BYTES];
        rng.fill_bytes(password.as_mut());
        rng.fill_bytes(&mut salt);
        Self::from_random(device_key, device_group_key, password.as_ref(), &salt)
    }

    fn from_random(
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
        password: &[u8],
        salt: &[u8],
    ) -> Self {
        let password = DevicePassword::new(base64_encode(password));
        let verifier =
            DeviceSecretVerifierConfig::compute(device_key, device_group_key, &password, salt);
        Self { password, verifier }
    }
}

/// One DEVICE_SRP_AUTH exchange of a remembered device: owns a fresh private value (never the
/// user step's), gives SRP_A for the DEVICE_SRP_AUTH response, and answers
/// DEVICE_PASSWORD_VERIFIER.
#[derive(Debug)]
pub struct DeviceSrpSession {
    user: UserIdForSrp,
    device_key: DeviceKey,
    device_group_key: DeviceGroupKey,
    ephemeral: Ephemeral,
}

impl DeviceSrpSession {
    /// A session for the internal user name and the device's keys, with a fresh private value.
    pub fn new(
        user: &UserIdForSrp,
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
    ) -> Result<Self, SrpError> {
        Ok(Self::with_ephemeral(
            user,
            device_key,
            device_group_key,
            Ephemeral::generate()?,
        ))
    }

    /// The same with a given ephemeral pair.
    pub fn with_ephemeral(
        user: &UserIdForSrp,
        device_key: &DeviceKey,
        device_group_key: &DeviceGroupKey,
        ephemeral: Ephemeral,
    ) -> Self {
        Self {
            user: user.clone(),
            device_key: device_key.clone(),
            device_group_key: device_group_key.clone(),
            ephemeral,
        }
    }

    /// SRP_A for the DEVICE_SRP_AUTH response.
    pub fn srp_a(&self) -> String {
        self.ephemeral.srp_a()
    }

    /// The DeviceKey this session proves.
    pub fn device_key(&self) -> &DeviceKey {
        &self.device_key
    }

    /// The DEVICE_PASSWORD_VERIFIER answer: the user-SRP maths with the DeviceGroupKey as pool
    /// name, the DeviceKey as user id and the device password as password; the response adds
    /// DEVICE_KEY (docs/protocol.md 4).
    pub fn answer(
        &self,
        challenge: &PasswordVerifierChallenge,
        password: &DevicePassword,
        timestamp: &Timestamp,
    ) -> Result<PasswordVerifierAnswer, SrpError> {
        let identity = Identity {
            realm: &self.device_group_key,
            user_id: &self.device_key,
            secret: password.expose(),
        };
        let (_key, signature) = prove(&self.ephemeral, challenge, &identity, timestamp)?;
        Ok(PasswordVerifierAnswer {
            username: self.user.to_string(),
            secret_block: challenge.secret_block().to_owned(),
            timestamp: timestamp.clone(),
            signature,
            device_key: Some(self.device_key.to_string()),
        })
    }
}
