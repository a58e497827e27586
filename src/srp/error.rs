//! Errors of the SRP layer: every way a server's challenge can be malformed, and the few
//! local failures (randomness, configuration).

/// What went wrong while parsing a challenge or computing an SRP answer.
///
/// No variant carries a secret: parameter *names* are reported, never their values
/// (a SECRET_BLOCK or a salt is not secret, but we keep error texts short and uniform).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrpError {
    /// A challenge parameter the protocol requires is absent.
    #[error("challenge parameter {name} is missing")]
    MissingParameter {
        /// The parameter's name as Cognito spells it, e.g. `SRP_B`.
        name: &'static str,
    },
    /// A challenge parameter is present but empty.
    #[error("challenge parameter {name} is empty")]
    EmptyParameter {
        /// The parameter's name.
        name: &'static str,
    },
    /// A parameter that must be hexadecimal (SALT, SRP_B) has another character.
    #[error("challenge parameter {name} is not hexadecimal")]
    InvalidHex {
        /// The parameter's name.
        name: &'static str,
    },
    /// SECRET_BLOCK is neither standard nor URL-safe base64.
    #[error("challenge parameter {name} is not base64")]
    InvalidBase64 {
        /// The parameter's name.
        name: &'static str,
    },
    /// A parameter is far longer than any real server sends (a hostile or broken server).
    #[error("challenge parameter {name} is too long ({len} characters, at most {max})")]
    TooLong {
        /// The parameter's name.
        name: &'static str,
        /// Its length in characters (or bits, for a number's value).
        len: usize,
        /// The most we accept.
        max: usize,
    },
    /// SRP_B is a multiple of N: answering would reveal nothing but lets a malicious server
    /// force the shared secret (RFC 5054 section 2.5.4). docs/protocol.md 1.
    #[error("the server's SRP_B is a multiple of N (B mod N == 0)")]
    IllegalServerB,
    /// u = H(pad(A) || pad(B)) came out as zero; the exchange must be aborted.
    #[error("the scrambling parameter u is zero")]
    ZeroScrambler,
    /// A user pool id must look like `<region>_<name>`.
    #[error("user pool id {0:?} has no '_' (expected a form like us-east-1_AbCdEf123)")]
    InvalidUserPoolId(String),
    /// A private value supplied for a known-answer test is zero or longer than 1024 bits.
    #[error("the SRP private value must be 1 to 128 bytes and not zero")]
    InvalidPrivateValue,
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Randomness(String),
}
