//! The PDF standard security handler, as permissive as the readers candidates use (poppler,
//! pdf.js) and no more: a file opens here when its empty user password (or its empty owner
//! password) checks against the file's own `/U` (or `/O`), or when nothing a reader shows is
//! encrypted at all.
//!
//! lopdf decrypts most files itself and is tried first. It refuses some that every reader
//! opens, because it checks the encryption dictionary more strictly than they do: a `/U` that
//! is not exactly 32 bytes in revision 3 (readers compare its first 16), a 40-bit RC4 key under
//! `/V 4` crypt filters (whose `/Length` writers give in bits or in bytes), and files whose
//! only encrypted content is their attachments (`/AuthEvent /EFOpen`, `/StmF` and `/StrF`
//! `/Identity`), which open without the attachments' password. Those are read here: the file is
//! loaded as if it were not encrypted (see [`neutralise`]), then every string and stream is
//! decrypted with the key derived below. The ciphers and hashes are RustCrypto's.

use aes::cipher::{BlockModeDecrypt as _, KeyInit as _, KeyIvInit as _, StreamCipher as _};
use lopdf::{Dictionary, Document, Object, ObjectId};
use md5::{Digest as _, Md5};
use sha2::{Sha256, Sha384, Sha512};

/// The padding of Algorithm 2 (ISO 32000-1 7.6.3.3), which is also the empty password.
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

/// The name `/Encrypt` is given in the bytes handed to lopdf when this module reads a file, so
/// that lopdf loads it as an unencrypted one. Same length, so no offset moves.
pub(super) const HIDDEN_ENCRYPT: &[u8] = b"/NoCrypt";
/// The same for `/ObjStm`: lopdf would expand an object stream while loading, before its data
/// is decrypted, and drop it as damaged.
const HIDDEN_OBJSTM: &[u8] = b"/EncStm";

/// How a string or a stream is encrypted.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Method {
    /// Not encrypted (`/Identity`, `/CFM /None`).
    Identity,
    /// RC4 with a per-object key.
    Rc4,
    /// AES-128-CBC with a per-object key (`AESV2`).
    Aes128,
    /// AES-256-CBC with the file key itself (`AESV3`).
    Aes256,
}

/// What was found when opening an encrypted file without a password.
#[derive(Debug)]
pub(super) enum Outcome {
    /// The content can be read; permissions `/P` as the file states them.
    Open(Handler),
    /// Opening needs a password the candidate would have to type.
    NeedsPassword,
    /// A security handler other than the standard password one (certificates, plug-ins).
    OtherHandler(String),
}

/// The key and methods to decrypt a document.
#[derive(Debug)]
pub(super) struct Handler {
    key: Vec<u8>,
    strings: Method,
    streams: Method,
    /// The method of `/EmbeddedFile` streams (`/EFF`), which may be the only encrypted ones.
    embedded: Method,
    encrypt_metadata: bool,
    /// Other crypt filters named in `/CF`, for streams that choose one with a `/Crypt` filter.
    named: Vec<(Vec<u8>, Method)>,
    pub(super) permissions: i64,
}

fn int(d: &Dictionary, key: &[u8]) -> Option<i64> {
    match d.get(key).ok()? {
        Object::Integer(i) => Some(*i),
        Object::Real(r) => Some(*r as i64),
        _ => None,
    }
}

fn bytes<'a>(d: &'a Dictionary, key: &[u8]) -> &'a [u8] {
    match d.get(key) {
        Ok(Object::String(s, _)) => s,
        _ => &[],
    }
}

fn name<'a>(d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match d.get(key).ok()? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

/// A key length given in bits (40–128) or, as some writers do, in bytes (5–16).
fn key_bytes(length: Option<i64>) -> Option<usize> {
    match length? {
        n @ 40..=128 if n % 8 == 0 => Some(n as usize / 8),
        n @ 5..=16 => Some(n as usize),
        _ => None,
    }
}

/// Decides whether the document opens without a password, from its encryption dictionary
/// and the first element of its `/ID` (empty when missing, as readers take it).
pub(super) fn open(
    encrypt: &Dictionary,
    id: &[u8],
    resolve: &dyn Fn(&Object) -> Option<Object>,
) -> Outcome {
    let filter = name(encrypt, b"Filter").unwrap_or(b"Standard");
    if filter != b"Standard" {
        return Outcome::OtherHandler(String::from_utf8_lossy(filter).into_owned());
    }
    let v = int(encrypt, b"V").unwrap_or(0);
    let r = int(encrypt, b"R").unwrap_or(if v >= 5 { 6 } else { 3 });
    let permissions = int(encrypt, b"P").unwrap_or(-1);
    let encrypt_metadata = !matches!(encrypt.get(b"EncryptMetadata"), Ok(Object::Boolean(false)));
    // Crypt filters (V 4 and 5): each named filter's method and key length.
    let mut named: Vec<(Vec<u8>, Method, Option<i64>)> = Vec::new();
    if v >= 4 {
        let cf = encrypt.get(b"CF").ok().and_then(resolve);
        if let Some(Object::Dictionary(cf)) = cf {
            for (filter_name, f) in cf.iter() {
                let Some(Object::Dictionary(f)) = resolve(f) else {
                    continue;
                };
                let method = match name(&f, b"CFM") {
                    Some(b"V2") => Method::Rc4,
                    Some(b"AESV2") => Method::Aes128,
                    Some(b"AESV3") => Method::Aes256,
                    _ => Method::Identity,
                };
                named.push((filter_name.clone(), method, int(&f, b"Length")));
            }
        }
    }
    let method_of = |key: &[u8]| -> Method {
        if v < 4 {
            return Method::Rc4;
        }
        match name(encrypt, key) {
            None | Some(b"Identity") => Method::Identity,
            Some(n) => named
                .iter()
                .find(|(f, ..)| f.as_slice() == n)
                .map_or(Method::Identity, |(_, m, _)| *m),
        }
    };
    let strings = method_of(b"StrF");
    let streams = method_of(b"StmF");
    let embedded = match name(encrypt, b"EFF") {
        Some(_) => method_of(b"EFF"),
        None => streams,
    };
    let mut handler = Handler {
        key: Vec::new(),
        strings,
        streams,
        embedded,
        encrypt_metadata,
        named: named.iter().map(|(n, m, _)| (n.clone(), *m)).collect(),
        permissions,
    };
    // Only attachments encrypted (`/AuthEvent /EFOpen`): what a reader shows is in clear and
    // opens with no password, whatever the attachments' password is.
    if strings == Method::Identity && streams == Method::Identity {
        if embedded != Method::Identity {
            // The attachments stay unread: they are not part of what is inspected.
            handler.embedded = Method::Identity;
        }
        return Outcome::Open(handler);
    }
    let o = bytes(encrypt, b"O");
    let u = bytes(encrypt, b"U");
    let key = if r >= 5 {
        aes256_key(r, o, u, bytes(encrypt, b"OE"), bytes(encrypt, b"UE"))
    } else {
        // Candidate key lengths, most likely first: the dictionary's, the crypt filter's, then
        // 128 and 40 bits. A wrong length fails the check against /U, so trying is safe.
        let mut lengths: Vec<usize> = Vec::new();
        if r == 2 {
            lengths.push(5);
        }
        let cf_length = named
            .iter()
            .find(|(.., l)| l.is_some())
            .and_then(|(.., l)| key_bytes(*l));
        for n in [
            key_bytes(int(encrypt, b"Length")),
            cf_length,
            Some(16),
            Some(5),
        ]
        .into_iter()
        .flatten()
        {
            if !lengths.contains(&n) {
                lengths.push(n);
            }
        }
        lengths
            .into_iter()
            .find_map(|n| md5_key(r, n, o, u, permissions, id, encrypt_metadata))
    };
    match key {
        Some(key) => {
            handler.key = key;
            Outcome::Open(handler)
        }
        None => Outcome::NeedsPassword,
    }
}

fn rc4(key: &[u8], data: &mut [u8]) {
    // RC4 accepts keys of 1 to 256 bytes; the keys here are 5 to 21.
    if let Ok(mut cipher) = rc4::Rc4::new_from_slice(key) {
        cipher.apply_keystream(data);
    }
}

/// Algorithm 2: the file key from a padded password, for revisions 2 to 4.
fn file_key_r4(
    r: i64,
    n: usize,
    password: &[u8; 32],
    o: &[u8],
    p: i64,
    id: &[u8],
    meta: bool,
) -> Vec<u8> {
    let mut h = Md5::new();
    h.update(password);
    h.update(&o[..o.len().min(32)]);
    h.update((p as i32).to_le_bytes());
    h.update(id);
    if r >= 4 && !meta {
        h.update([0xFF; 4]);
    }
    let mut digest = h.finalize();
    if r >= 3 {
        for _ in 0..50 {
            digest = Md5::digest(&digest[..n]);
        }
    }
    digest[..n].to_vec()
}

/// Algorithms 4 and 5: whether `key` is the one the user password gives, checked against /U
/// (its first 16 bytes from revision 3 on: the rest is arbitrary padding).
fn user_key_checks(r: i64, key: &[u8], u: &[u8], id: &[u8]) -> bool {
    if r == 2 {
        let mut check = PAD;
        rc4(key, &mut check);
        return u.len() >= 32 && u[..32] == check;
    }
    let mut check: [u8; 16] = Md5::new()
        .chain_update(PAD)
        .chain_update(id)
        .finalize()
        .into();
    rc4(key, &mut check);
    for i in 1..=19u8 {
        let round: Vec<u8> = key.iter().map(|b| b ^ i).collect();
        rc4(&round, &mut check);
    }
    u.len() >= 16 && u[..16] == check
}

/// The file key of revisions 2 to 4 for an empty user password, or for an empty owner
/// password (Algorithm 7 recovers the user password from /O), when /U confirms it.
fn md5_key(r: i64, n: usize, o: &[u8], u: &[u8], p: i64, id: &[u8], meta: bool) -> Option<Vec<u8>> {
    let key = file_key_r4(r, n, &PAD, o, p, id, meta);
    if user_key_checks(r, &key, u, id) {
        return Some(key);
    }
    // The owner password, empty: its key decrypts /O into the user password.
    if o.len() < 32 {
        return None;
    }
    let mut owner = Md5::digest(PAD);
    if r >= 3 {
        for _ in 0..50 {
            owner = Md5::digest(owner);
        }
    }
    let owner_key = &owner[..if r >= 3 { n } else { 5 }];
    let mut user = [0u8; 32];
    user.copy_from_slice(&o[..32]);
    if r == 2 {
        rc4(owner_key, &mut user);
    } else {
        for i in (0..=19u8).rev() {
            let round: Vec<u8> = owner_key.iter().map(|b| b ^ i).collect();
            rc4(&round, &mut user);
        }
    }
    let key = file_key_r4(r, n, &user, o, p, id, meta);
    user_key_checks(r, &key, u, id).then_some(key)
}

/// Algorithm 2.B (revision 6), or plain SHA-256 (revision 5).
fn hash_r6(r: i64, password: &[u8], salt: &[u8], udata: &[u8]) -> [u8; 32] {
    let mut k: Vec<u8> = Sha256::new()
        .chain_update(password)
        .chain_update(salt)
        .chain_update(udata)
        .finalize()
        .to_vec();
    if r == 5 {
        let mut out = [0u8; 32];
        out.copy_from_slice(&k[..32]);
        return out;
    }
    let mut round = 0u32;
    loop {
        round += 1;
        let mut k1 = Vec::with_capacity(64 * (password.len() + k.len() + udata.len()));
        for _ in 0..64 {
            k1.extend_from_slice(password);
            k1.extend_from_slice(&k);
            k1.extend_from_slice(udata);
        }
        let Ok(mut enc) = cbc::Encryptor::<aes::Aes128>::new_from_slices(&k[..16], &k[16..32])
        else {
            break;
        };
        use aes::cipher::BlockModeEncrypt as _;
        for block in k1.as_chunks_mut::<16>().0 {
            enc.encrypt_block(block.into());
        }
        let sum: u32 = k1[..16].iter().map(|&b| u32::from(b)).sum();
        k = match sum % 3 {
            0 => Sha256::digest(&k1).to_vec(),
            1 => Sha384::digest(&k1).to_vec(),
            _ => Sha512::digest(&k1).to_vec(),
        };
        let last = u32::from(k1.last().copied().unwrap_or(0));
        if round >= 64 && last <= round - 32 {
            break;
        }
        if round > 1024 {
            // Cannot happen with a well-formed hash; a bound all the same.
            break;
        }
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&k[..32]);
    out
}

/// Revisions 5 and 6: the empty user password, then the empty owner password, checked against
/// /U or /O; the file key is then unwrapped from /UE or /OE. /Perms is not checked: readers do
/// not, and a wrong one does not stop them showing the pages.
fn aes256_key(r: i64, o: &[u8], u: &[u8], oe: &[u8], ue: &[u8]) -> Option<Vec<u8>> {
    if u.len() < 48 || oe.len() < 32 && ue.len() < 32 {
        return None;
    }
    let u48 = &u[..48];
    let unwrap = |wrapping: [u8; 32], wrapped: &[u8]| -> Option<Vec<u8>> {
        let mut key: [u8; 32] = wrapped.get(..32)?.try_into().ok()?;
        let mut dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(&wrapping, &[0u8; 16]).ok()?;
        for block in key.as_chunks_mut::<16>().0 {
            dec.decrypt_block(block.into());
        }
        Some(key.to_vec())
    };
    if hash_r6(r, b"", &u[32..40], b"") == u[..32] {
        return unwrap(hash_r6(r, b"", &u[40..48], b""), ue);
    }
    if o.len() >= 48 && hash_r6(r, b"", &o[32..40], u48) == o[..32] {
        return unwrap(hash_r6(r, b"", &o[40..48], u48), oe);
    }
    None
}

impl Handler {
    fn object_key(&self, id: ObjectId, aes: bool) -> Vec<u8> {
        let mut h = Md5::new();
        h.update(&self.key);
        h.update(&id.0.to_le_bytes()[..3]);
        h.update(id.1.to_le_bytes());
        if aes {
            h.update(b"sAlT");
        }
        let n = (self.key.len() + 5).min(16);
        h.finalize()[..n].to_vec()
    }

    fn decrypt(&self, method: Method, id: ObjectId, data: &mut Vec<u8>) {
        match method {
            Method::Identity => {}
            Method::Rc4 => rc4(&self.object_key(id, false), data),
            Method::Aes128 => aes_cbc(&self.object_key(id, true), data),
            Method::Aes256 => aes_cbc(&self.key, data),
        }
    }

    fn decrypt_strings(&self, id: ObjectId, o: &mut Object, depth: usize) {
        if depth > 64 {
            return;
        }
        match o {
            Object::String(s, _) => self.decrypt(self.strings, id, s),
            Object::Array(items) => {
                for item in items {
                    self.decrypt_strings(id, item, depth + 1);
                }
            }
            Object::Dictionary(d) => self.decrypt_dictionary(id, d, depth),
            Object::Stream(s) => self.decrypt_dictionary(id, &mut s.dict, depth),
            _ => {}
        }
    }

    fn decrypt_dictionary(&self, id: ObjectId, d: &mut Dictionary, depth: usize) {
        // A signature's /Contents is written in clear (ISO 32000-1 7.6.2).
        let signature = matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Sig")
            || (d.has(b"ByteRange") && d.has(b"Contents"));
        for (k, v) in d.iter_mut() {
            if !(signature && k == b"Contents") {
                self.decrypt_strings(id, v, depth + 1);
            }
        }
    }

    /// Decrypts one indirect object in place.
    pub(super) fn decrypt_object(&self, id: ObjectId, o: &mut Object) {
        let Object::Stream(s) = o else {
            self.decrypt_strings(id, o, 0);
            return;
        };
        let kind = match s.dict.get(b"Type") {
            Ok(Object::Name(n)) => n.clone(),
            _ => Vec::new(),
        };
        // Cross-reference streams are never encrypted; nor is the metadata stream under
        // `/EncryptMetadata false`.
        if kind == b"XRef" || (kind == b"Metadata" && !self.encrypt_metadata) {
            return;
        }
        self.decrypt_dictionary(id, &mut s.dict, 0);
        let method = if kind == b"EmbeddedFile" {
            self.embedded
        } else if let Some(chosen) = self.crypt_filter_of(&s.dict) {
            chosen
        } else {
            self.streams
        };
        let mut content = std::mem::take(&mut s.content);
        self.decrypt(method, id, &mut content);
        s.set_content(content);
    }

    /// A stream that names its own crypt filter (`/Filter [/Crypt …]`): Identity unless the
    /// name is a filter of `/CF`.
    fn crypt_filter_of(&self, d: &Dictionary) -> Option<Method> {
        let crypt = match d.get(b"Filter").ok()? {
            Object::Name(n) => n == b"Crypt",
            Object::Array(a) => a
                .iter()
                .any(|f| matches!(f, Object::Name(n) if n == b"Crypt")),
            _ => false,
        };
        if !crypt {
            return None;
        }
        let parms = match d.get(b"DecodeParms").ok()? {
            Object::Dictionary(p) => Some(p),
            Object::Array(a) => a.iter().find_map(|p| p.as_dict().ok()),
            _ => None,
        };
        let chosen = parms.and_then(|p| name(p, b"Name")).unwrap_or(b"Identity");
        Some(
            self.named
                .iter()
                .find(|(n, _)| n.as_slice() == chosen)
                .map_or(Method::Identity, |(_, m)| *m),
        )
    }

    /// Restores the object streams hidden from lopdf, decrypted, and adds their objects.
    pub(super) fn expand_object_streams(&self, doc: &mut Document, max_bytes: usize) {
        let hidden: Vec<ObjectId> = doc
            .objects
            .iter()
            .filter(|(_, o)| {
                matches!(o, Object::Stream(s) if matches!(s.dict.get(b"Type"), Ok(Object::Name(n)) if n.as_slice() == &HIDDEN_OBJSTM[1..]))
            })
            .map(|(id, _)| *id)
            .collect();
        for id in hidden {
            let Some(Object::Stream(s)) = doc.objects.get_mut(&id) else {
                continue;
            };
            s.dict.set("Type", Object::Name(b"ObjStm".to_vec()));
            let Ok(members) = lopdf::ObjectStream::new_with_limit(s, Some(max_bytes)) else {
                continue;
            };
            for (member, object) in members.objects {
                // A member replaced by a later update is already loaded: the later one wins.
                doc.objects.entry(member).or_insert(object);
            }
        }
    }
}

/// AES-CBC (AES-128 or AES-256 by the key's length) with the IV in the first 16 bytes and
/// PKCS#7 padding. Readers keep what decrypts when the padding is wrong or the last block is
/// short, and so does this.
fn aes_cbc(key: &[u8], data: &mut Vec<u8>) {
    if data.len() < 16 {
        data.clear();
        return;
    }
    let mut body = data.split_off(16);
    body.truncate(body.len() / 16 * 16);
    macro_rules! run {
        ($cipher:ty) => {{
            let Ok(mut dec) = cbc::Decryptor::<$cipher>::new_from_slices(key, &data[..16]) else {
                data.clear();
                return;
            };
            for block in body.as_chunks_mut::<16>().0 {
                dec.decrypt_block(block.into());
            }
        }};
    }
    if key.len() == 32 {
        run!(aes::Aes256)
    } else {
        run!(aes::Aes128)
    }
    if let Some(&pad) = body.last() {
        let pad = usize::from(pad);
        let padded = (1..=16).contains(&pad)
            && body.len() >= pad
            && body[body.len() - pad..]
                .iter()
                .all(|&b| usize::from(b) == pad);
        if padded {
            body.truncate(body.len() - pad);
        }
    }
    *data = body;
}

/// The file's bytes with the trailer's `/Encrypt` and the object streams' `/ObjStm` renamed, so
/// that lopdf loads the objects as they are written, encrypted, for [`Handler`] to decrypt.
/// Only a name followed by what such a key's value looks like is renamed (a reference or a
/// dictionary for `/Encrypt`); none is in encrypted data but by the chance of 8 exact bytes.
pub(super) fn neutralise(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (from, to) in [
        (&b"/Encrypt"[..], HIDDEN_ENCRYPT),
        (b"/ObjStm", HIDDEN_OBJSTM),
    ] {
        let mut at = 0;
        while let Some(found) = memchr::memmem::find(&out[at..], from) {
            let start = at + found;
            at = start + from.len();
            let next = out.get(at).copied().unwrap_or(b' ');
            let ends_name = next.is_ascii_whitespace() || b"/<[(".contains(&next) || next == b'>';
            if ends_name {
                out[start..at].copy_from_slice(to);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lengths_are_read_in_bits_or_bytes() {
        assert_eq!(key_bytes(Some(40)), Some(5));
        assert_eq!(key_bytes(Some(128)), Some(16));
        assert_eq!(key_bytes(Some(5)), Some(5));
        assert_eq!(key_bytes(Some(16)), Some(16));
        assert_eq!(key_bytes(Some(41)), None);
        assert_eq!(key_bytes(Some(-1)), None);
        assert_eq!(key_bytes(None), None);
    }

    #[test]
    fn aes_with_bad_padding_or_short_data_does_not_panic() {
        for len in [0, 5, 16, 17, 31, 32, 48] {
            let mut data = vec![7u8; len];
            aes_cbc(&[1u8; 16], &mut data);
            let mut data = vec![7u8; len];
            aes_cbc(&[1u8; 32], &mut data);
        }
    }
}
