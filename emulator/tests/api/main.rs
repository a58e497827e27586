//! The emulator over real HTTP, driven by the official `aws-sdk-cognitoidentityprovider` client.
//! One binary, one module per capability.

#[path = "../common/mod.rs"]
mod common;

mod concurrency;
mod devices;
mod evidence;
mod faults;
mod mfa;
mod provisioning;
mod rejections;
mod signin;
mod state;
