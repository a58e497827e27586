//! Unit tests of the record format and the name look-ups.

use super::*;
use crate::store::MemoryStore;

fn record() -> DeviceRecord {
    DeviceRecord {
        username: "6f1c2b8e-user".into(),
        device_key: "us-east-1_dev".into(),
        device_group_key: "-grp".into(),
        device_password: DevicePassword::new("c2VjcmV0"),
        state: DeviceState::Confirmed,
        remembered: true,
        confirmed_at: Some(1_700_000_000),
        aliases: vec!["jane@example.com".into()],
    }
}

#[test]
fn round_trip_and_debug_hides_the_password() {
    let r = record();
    let bytes = r.to_bytes();
    let back = DeviceRecord::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes().to_vec(), bytes.to_vec());
    assert_eq!(back.device_password.expose(), "c2VjcmV0");
    assert_eq!(back.aliases, r.aliases);
    assert!(!format!("{r:?}").contains("c2VjcmV0"));
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.starts_with("{\"v\":1,"), "{text}");
}

#[test]
fn unknown_versions_and_garbage_are_reported_without_content() {
    let err = DeviceRecord::from_bytes(br#"{"v":99,"device_password":"c2VjcmV0"}"#).unwrap_err();
    assert!(err.contains("99") && !err.contains("c2VjcmV0"), "{err}");
    let err = DeviceRecord::from_bytes(br#"{"v":1,"device_password":"c2VjcmV0"}"#).unwrap_err();
    assert!(!err.contains("c2VjcmV0"), "{err}");
    assert!(DeviceRecord::from_bytes(b"\xff\x00").is_err());
    assert_eq!(
        DeviceRecord::salvage_device_key(br#"{"v":1,"device_key":"k1"}"#).as_deref(),
        Some("k1")
    );
    // Truncated or damaged JSON still gives its key; nonsense gives none.
    assert_eq!(
        DeviceRecord::salvage_device_key(br#"{"v":1,"device_key": "us-east-1_ab-12","devi"#)
            .as_deref(),
        Some("us-east-1_ab-12")
    );
    assert_eq!(
        DeviceRecord::salvage_device_key(b"\xff{\"device_key\":\"k2\",\"x").as_deref(),
        Some("k2")
    );
    for junk in [
        &b"\xff\x00"[..],
        br#"{"device_key":"#,
        br#"{"device_key":"a b"}"#,
        br#"{"device_key":""}"#,
    ] {
        assert_eq!(DeviceRecord::salvage_device_key(junk), None, "{junk:?}");
    }
}

#[tokio::test]
async fn finds_by_internal_name_and_alias_and_deletes_idempotently() {
    let store = Arc::new(MemoryStore::new());
    let records = DeviceRecords::new(store.clone(), "us-east-1_Pool", "client");
    records.save(&record()).await.unwrap();
    for name in ["6f1c2b8e-user", "jane@example.com"] {
        match records.find(name).await.unwrap() {
            Lookup::Found {
                account_user,
                record: r,
            } => {
                assert_eq!(account_user, "6f1c2b8e-user");
                assert_eq!(r.to_bytes().to_vec(), record().to_bytes().to_vec());
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(records.find("bob").await.unwrap(), Lookup::None));
    records
        .delete("6f1c2b8e-user", &["jane@example.com".into()])
        .await
        .unwrap();
    records
        .delete("6f1c2b8e-user", &["jane@example.com".into()])
        .await
        .unwrap();
    assert!(store.accounts().is_empty(), "{:?}", store.accounts());
}
