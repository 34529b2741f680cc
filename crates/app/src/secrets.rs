//! Password hashing (Argon2id), RFC 6238 one-time codes and bearer tokens. Tokens are random and
//! stored only as their SHA-256, so a copy of the database does not let anyone log in.

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use hmac::{Hmac, Mac};
use pamir_domain::error::Reason;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the time a real verification would, so that unknown usernames answer as slowly as known ones.
pub fn burn_password_check(password: &str) {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3T4ZWj4nT1L1b7gPZbWKW5hFQ6tcT8B8Cb7cCjPZ2gg";
    let _ = verify_password(password, DUMMY);
}

/// Passwords of at least 8 characters (`demo` is set by the demo directly, not through this).
pub fn check_password_strength(password: &str) -> Result<(), Reason> {
    if password.chars().count() < 8 {
        return Err(Reason::coded("password-too-short", &[]));
    }
    if password.chars().count() > 256 {
        return Err(Reason::coded("password-too-long", &[]));
    }
    Ok(())
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// A bearer secret: 32 random bytes, URL-safe base64.
pub fn new_token() -> String {
    data_encoding::BASE64URL_NOPAD.encode(&random_bytes::<32>())
}

/// A public handle (session id, link id): 16 random bytes in hex.
pub fn new_handle() -> String {
    data_encoding::HEXLOWER.encode(&random_bytes::<16>())
}

pub fn token_hash(token: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(token.as_bytes()))
}

/// TOTP per RFC 6238: HMAC-SHA1, 30-second steps, 6 digits.
pub mod totp {
    use super::*;

    pub const STEP_SECS: i64 = 30;

    pub fn new_secret() -> String {
        data_encoding::BASE32_NOPAD.encode(&random_bytes::<20>())
    }

    fn decode(secret: &str) -> Option<Vec<u8>> {
        let clean: String = secret
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=')
            .collect::<String>()
            .to_uppercase();
        data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
    }

    /// The code for time step `step` (RFC 4226 HOTP over the step counter).
    pub fn code_at(secret: &str, step: i64) -> Option<String> {
        let key = decode(secret)?;
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).ok()?;
        mac.update(&(step as u64).to_be_bytes());
        let h = mac.finalize().into_bytes();
        let offset = (h[19] & 0x0f) as usize;
        let bin = (u32::from(h[offset]) & 0x7f) << 24
            | u32::from(h[offset + 1]) << 16
            | u32::from(h[offset + 2]) << 8
            | u32::from(h[offset + 3]);
        Some(format!("{:06}", bin % 1_000_000))
    }

    /// The step at which `code` is valid within one step of `now_ms`, if any, and only if it is
    /// later than `last_step` (a code is accepted once).
    pub fn verify(secret: &str, code: &str, now_ms: i64, last_step: Option<i64>) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now = now_ms.div_euclid(1000).div_euclid(STEP_SECS);
        [now - 1, now, now + 1]
            .into_iter()
            .filter(|s| last_step.is_none_or(|last| *s > last))
            .find(|s| {
                code_at(secret, *s).is_some_and(|c| constant_time_eq(c.as_bytes(), code.as_bytes()))
            })
    }

    pub fn uri(secret: &str, username: &str) -> String {
        format!("otpauth://totp/Pamir:{username}?secret={secret}&issuer=Pamir&algorithm=SHA1&digits=6&period=30")
    }

    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn matches_the_rfc_6238_test_vectors() {
            // RFC 6238 appendix B, SHA-1 key "12345678901234567890", 8 digits truncated to 6.
            let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
            for (t, expected) in [
                (59, "287082"),
                (1111111109, "081804"),
                (1234567890, "005924"),
                (2000000000, "279037"),
            ] {
                assert_eq!(code_at(&secret, t / 30).as_deref(), Some(expected), "t={t}");
            }
        }

        #[test]
        fn a_code_is_accepted_once_and_only_near_its_time() {
            let s = new_secret();
            let now = 1_700_000_000_000;
            let step = now / 1000 / 30;
            let code = code_at(&s, step).unwrap();
            assert_eq!(verify(&s, &code, now, None), Some(step));
            assert_eq!(verify(&s, &code, now, Some(step)), None);
            assert_eq!(verify(&s, &code, now + 120_000, None), None);
            assert_eq!(verify(&s, "12345", now, None), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
