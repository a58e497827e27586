//! Request bodies that no log can print.
//!
//! At TRACE, the AWS SDK's orchestrator logs every request it transmits with `Debug`
//! (`"transmitting request"`), and an in-memory body prints its bytes: NEW_PASSWORD, the SMS
//! code, SECRET_HASH, the refresh token, the access token. Just before transmit (after every
//! other step that reads the body), this interceptor moves the bytes into a body whose `Debug`
//! is opaque (the SDK prints a streaming body as `BoxBody`). The bytes sent are the same, and
//! the body can still be rebuilt for a retry.
//!
//! The AWS SDK's stalled-stream protection would also wrap request bodies in a streaming body;
//! the client turns it off (transport/mod.rs), so that this guarantee rests on this interceptor
//! alone and not on another crate's defaults. tests/log_capture.rs checks the outcome.
//!
//! Response bodies are the SDK's own business: for the operations whose answers carry secrets
//! (InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken, AssociateSoftwareToken,
//! VerifySoftwareToken, GetDevice, ListDevices) it logs them as `** REDACTED **` unless the
//! process sets `LOG_SENSITIVE_BODIES=true`, an operator's deliberate choice the README names.

use aws_sdk_cognitoidentityprovider::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_cognitoidentityprovider::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http_body_util::Full;

/// Replaces an in-memory request body with an opaque one holding the same bytes.
#[derive(Debug)]
pub(super) struct OpaqueRequestBodies;

impl Intercept for OpaqueRequestBodies {
    fn name(&self) -> &'static str {
        "OpaqueRequestBodies"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let body = context.request_mut().body_mut();
        if let Some(bytes) = body.bytes().map(Bytes::copy_from_slice) {
            *body = opaque(bytes);
        }
        Ok(())
    }
}

fn opaque(bytes: Bytes) -> SdkBody {
    SdkBody::retryable(move || SdkBody::from_body_1_x(Full::new(bytes.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opaque_body_prints_nothing_of_its_bytes_and_can_be_rebuilt() {
        let secret = r#"{"ChallengeResponses":{"NEW_PASSWORD":"Hunter2-secret"}}"#;
        let body = opaque(Bytes::from_static(secret.as_bytes()));
        let printed = format!("{body:?}");
        assert!(!printed.contains("Hunter2"), "{printed}");
        assert!(
            body.try_clone().is_some(),
            "a retry must be able to rebuild it"
        );
        // The in-memory form does print it: that is what the interceptor replaces.
        let plain = format!("{:?}", SdkBody::from(secret));
        assert!(plain.contains("Hunter2"), "{plain}");
    }
}
