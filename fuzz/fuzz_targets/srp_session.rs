#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cognito_device_auth_fuzz::harness::srp_session(data);
});
