//! The SRP group Cognito uses: the 3072-bit MODP prime of RFC 5054 appendix A (= RFC 3526
//! section 4), generator g = 2, SHA-256, and k = H(pad(N) || pad(g)) (docs/protocol.md 1).
//!
//! All arithmetic on secret values is constant-time: numbers live in Montgomery form
//! (`crypto-bigint`'s `ConstMontyForm`, whose multiplication, subtraction and bounded-exponent
//! exponentiation do not branch or index memory on secret data). Exponents are processed for a
//! *public* number of bits fixed by their type, never by their value.

use std::sync::LazyLock;

use crypto_bigint::modular::ConstMontyForm;
use crypto_bigint::{
    Choice, CtAssign, CtEq, Limb, U256, U3072, U4096, Uint, Word, const_monty_params,
};
use sha2::{Digest, Sha256};

use super::SrpError;
use super::encoding::pad;

/// N, big-endian hex (384 bytes).
pub const N_HEX: &str = concat!(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
    "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
    "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
    "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
    "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
    "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
    "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718",
    "3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33",
    "a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
    "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864",
    "d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2",
    "08e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
);

/// The generator g.
pub const G: u8 = 2;

/// Length of N in bytes.
pub const N_BYTES: usize = 384;

const_monty_params!(
    GroupModulus,
    U3072,
    N_HEX,
    "The RFC 5054 3072-bit prime as a compile-time Montgomery modulus."
);

/// A residue mod N in Montgomery form.
pub(crate) type Residue = ConstMontyForm<GroupModulus, { U3072::LIMBS }>;

/// N as an integer.
pub(crate) const N: U3072 = U3072::from_be_hex(N_HEX);

/// k = H(pad(N) || pad(g)), as a residue. Computed once; `vectors/group.json` pins its value.
pub(crate) static K: LazyLock<Residue> = LazyLock::new(|| {
    let digest = Sha256::new()
        .chain_update(pad(&N.to_be_bytes()))
        .chain_update(pad(&[G]))
        .finalize();
    Residue::new(&U256::from_be_slice(&digest).resize())
});

/// k as minimal big-endian bytes (for tests and diagnostics).
pub fn k_bytes() -> Vec<u8> {
    K.retrieve().to_be_bytes().as_ref().to_vec()
}

/// `value mod N` for a public value of up to 4096 bits (SRP_B may arrive >= N); longer values
/// are [`SrpError::TooLong`]. Variable time in the value, which is public.
pub(crate) fn reduce_public(be_bytes: &[u8]) -> Result<U3072, SrpError> {
    if be_bytes.len() > 512 {
        return Err(SrpError::TooLong {
            name: "SRP_B",
            len: be_bytes.len() * 8,
            max: 4096,
        });
    }
    let mut buf = [0u8; 512];
    buf[512 - be_bytes.len()..].copy_from_slice(be_bytes);
    let wide = U4096::from_be_slice(&buf);
    let n_wide =
        crypto_bigint::NonZero::new(N.resize::<{ U4096::LIMBS }>()).expect("N is not zero");
    Ok(wide.rem_vartime(&n_wide).resize())
}

/// A residue's integer value as 384 big-endian bytes (leading zeros kept).
pub(crate) fn residue_to_be(r: &Residue) -> zeroize::Zeroizing<Vec<u8>> {
    zeroize::Zeroizing::new(r.retrieve().to_be_bytes().as_ref().to_vec())
}

/// Fixed-base exponentiation window (bits) and the exponent size the precomputed table covers.
const WINDOW: u32 = 4;
const WINDOW_ENTRIES: usize = 1 << WINDOW;
/// Covers the private value a (320 bits, see `PRIVATE_VALUE_BITS`) and x (256 bits).
pub(crate) const FIXED_BASE_BITS: u32 = 320;
const FIXED_BASE_WINDOWS: usize = (FIXED_BASE_BITS / WINDOW) as usize;

/// `TABLE[i][j] = g^(j * 2^(4i))` in Montgomery form: g^e becomes one multiplication per 4-bit
/// window of e and no squaring at all (a fixed-base "comb"). 80 x 16 entries of 384 bytes
/// (480 KiB), built on first use from 1,520 multiplications.
static FIXED_BASE_TABLE: LazyLock<Vec<[U3072; WINDOW_ENTRIES]>> = LazyLock::new(|| {
    let mut table = Vec::with_capacity(FIXED_BASE_WINDOWS);
    let mut base = Residue::new(&U3072::from_u8(G));
    for _ in 0..FIXED_BASE_WINDOWS {
        let mut row = [U3072::ZERO; WINDOW_ENTRIES];
        let mut power = Residue::ONE;
        for entry in row.iter_mut() {
            *entry = power.to_montgomery();
            power = power.mul(&base);
        }
        table.push(row);
        // base^(2^WINDOW) is the next window's generator.
        base = power;
    }
    table
});

/// g^e mod N for a secret exponent, constant-time for a given public bound `bits`.
///
/// Exponents that fit the precomputed table use it; larger ones (only the 1024-bit private
/// values of some published test vectors) use the generic windowed ladder.
pub(crate) fn g_pow<const L: usize>(exponent: &Uint<L>, bits: u32) -> Residue {
    let bits = bits.min(Uint::<L>::BITS);
    if bits > FIXED_BASE_BITS {
        return Residue::new(&U3072::from_u8(G)).pow_bounded_exp(exponent, bits);
    }
    let table = &*FIXED_BASE_TABLE;
    let limbs = exponent.as_limbs();
    let mut acc = Residue::ONE;
    let mut selected = U3072::ZERO;
    for (window, row) in table
        .iter()
        .enumerate()
        .take(bits.div_ceil(WINDOW) as usize)
    {
        let bit = window * WINDOW as usize;
        let limb = bit / Limb::BITS as usize;
        let shift = bit % Limb::BITS as usize;
        let index: Word = (limbs[limb].0 >> shift) & (WINDOW_ENTRIES as Word - 1);
        // Constant-time lookup: touch every entry, keep the one whose index matches.
        selected.ct_assign(&row[0], Choice::TRUE);
        for (j, entry) in row.iter().enumerate().skip(1) {
            selected.ct_assign(entry, (j as Word).ct_eq(&index));
        }
        acc = acc.mul(&Residue::from_montgomery(selected));
    }
    zeroize::Zeroize::zeroize(&mut selected);
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_matches_the_published_value() {
        // aws-amplify/amplify-swift SRPClientTests.testGeneratedK, also vectors/group.json.
        let expected =
            U256::from_be_hex("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
        assert_eq!(K.retrieve(), expected.resize());
    }

    #[test]
    fn fixed_base_matches_generic_ladder() {
        let g = Residue::new(&U3072::from_u8(G));
        for e in [0u64, 1, 2, 15, 16, 17, 0xdead_beef_cafe_f00d, u64::MAX] {
            let exp = U256::from_u64(e);
            assert_eq!(g_pow(&exp, 256), g.pow_bounded_exp(&exp, 256), "e = {e}");
        }
        let max = U256::MAX.resize::<{ crypto_bigint::U320::LIMBS }>();
        assert_eq!(g_pow(&max, 320), g.pow_bounded_exp(&max, 320));
    }
}
