//! A local Amazon Cognito user-pool emulator (work in progress).
