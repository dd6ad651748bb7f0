#!/usr/bin/env python3
"""A fake of macOS codesign(1) for tests on Linux.

Signing really rewrites the Mach-O: it replaces the LC_CODE_SIGNATURE superblob with a
CodeDirectory (SHA-256 page hashes, identifier, team, hardened-runtime flag), a requirements
blob, the entitlements, and a CMS blob that carries signingTime and, with --timestamp, the
RFC 3161 timestamp-token attribute, so the project's own Mach-O reader judges the result like
a real Developer ID signature. For a named identity the CMS blob is real DER SignedData, as
codesign writes it: the leaf certificate of that identity (made once with openssl, with Apple's
marker extension for its kind: "Developer ID Application: ...", "3rd Party Mac Developer
Application: ...", "Apple Development: ..."; the team id as OU), a SignerInfo with signingTime
and the CodeDirectory's hash as messageDigest and, with --timestamp, an RFC 3161
timestamp-token attribute. Its signature value is a marker and the CodeDirectory's hash instead
of an RSA or ECDSA signature; ad-hoc signatures carry only that marker. `--verify` checks the
marker, the hash and every page hash, so it fails for files this fake did not sign (linker
signatures included) and for files changed after signing. Like codesign, it writes the signed
file under a new name and renames it over the path: other hard links keep the old bytes.

Usage mirrors codesign: `--force --sign ID [--timestamp] [--options runtime]
[--entitlements FILE] PATH...`, `--verify [--strict] [--verbose=N] PATH`, and
`-vvvv -R=notarized --check-notarization PATH`. Exit codes as codesign's: 0 ok, 1 failed,
2 bad arguments, 3 requirement not met. Messages go to stderr, as codesign's do.

Behaviour for tests comes from files in the calls folder (argv[1]):
  codesign.reject   one glob per line: signing such a file fails like a malformed binary
  codesign.flaky    one glob per line: the first attempt on such a file hits a timestamp outage
  notary-tickets    what the fake notary accepted; --check-notarization reads it. Mach-O files
                    are ticketed by cdhash as Apple does; other executables (the launcher is ELF
                    when the tests build it on Linux) by "sha256:<hex>", a fake-only extension
"""
import fnmatch
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import time

MARKER = b"fake-codesign-cms"
PAGE = 4096
LC_CODE_SIGNATURE = 0x1D
LC_SEGMENT_64 = 0x19
MH_MAGIC_64 = 0xFEEDFACF
FAT_MAGIC = 0xCAFEBABE
FAT_MAGIC_64 = 0xCAFEBABF


# Apple's marker extensions on leaf certificates, by the prefix of the identity's name.
CERTIFICATE_MARKERS = {
    "Developer ID Application:": "1.2.840.113635.100.6.1.13",
    "3rd Party Mac Developer Application:": "1.2.840.113635.100.6.1.7",
    "Apple Development:": "1.2.840.113635.100.6.1.12",
    "Mac Developer:": "1.2.840.113635.100.6.1.12",
}


class Failure(Exception):
    pass


def der(tag, content):
    if len(content) < 0x80:
        length = bytes([len(content)])
    else:
        size = (len(content).bit_length() + 7) // 8
        length = bytes([0x80 | size]) + len(content).to_bytes(size, "big")
    return bytes([tag]) + length + content


def der_oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    body = bytes([parts[0] * 40 + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.insert(0, 0x80 | (part & 0x7F))
            part >>= 7
        body += bytes(chunk)
    return der(0x06, body)


def der_children(data, at, end):
    """(start of the element, start of its content, end of the element) of each element in data[at:end]."""
    while at < end:
        start, length = at, data[at + 1]
        at += 2
        if length & 0x80:
            size = length & 0x7F
            length = int.from_bytes(data[at:at + size], "big")
            at += size
        yield start, at, at + length
        at += length


def issuer_and_serial(certificate):
    """The DER of the issuer Name and the serial INTEGER, for a SignerInfo's sid."""
    _, content, end = next(der_children(certificate, 0, len(certificate)))
    _, tbs, tbs_end = next(der_children(certificate, content, end))
    fields = list(der_children(certificate, tbs, tbs_end))
    if certificate[fields[0][0]] == 0xA0:  # [0] version
        fields = fields[1:]
    serial, issuer = fields[0], fields[2]
    return certificate[issuer[0]:issuer[2]], certificate[serial[0]:serial[2]]


def certificate_for(calls, identity, team):
    """The identity's leaf certificate (DER), made once per calls folder, as if it were in the keychain."""
    folder = os.path.join(calls, "codesign-identities")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha256(identity.encode()).hexdigest()[:16] + ".der")
    if not os.path.exists(path):
        marker = next((oid for prefix, oid in CERTIFICATE_MARKERS.items() if identity.startswith(prefix)), None)
        with tempfile.TemporaryDirectory(dir=folder) as work:
            command = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                       "-keyout", os.path.join(work, "key.pem"), "-outform", "DER", "-out", os.path.join(work, "cert.der"),
                       "-days", "3650", "-subj", f"/UID={team}/CN={identity}/OU={team}/O=Fake codesign/C=US"]
            if marker:
                command += ["-addext", f"{marker}=critical,DER:0500"]
            subprocess.run(command, check=True, capture_output=True)
            os.replace(os.path.join(work, "cert.der"), path)
    with open(path, "rb") as f:
        return f.read()


def signed_data(certificate, directory_hash, timestamp):
    """ContentInfo(SignedData) as codesign writes it for an identity, with a fake signature value."""
    sha256 = der(0x30, der_oid("2.16.840.1.101.3.4.2.1"))
    issuer, serial = issuer_and_serial(certificate)
    attributes = [
        der(0x30, der_oid("1.2.840.113549.1.9.3") + der(0x31, der_oid("1.2.840.113549.1.7.1"))),
        der(0x30, der_oid("1.2.840.113549.1.9.5") + der(0x31, der(0x17, time.strftime("%y%m%d%H%M%SZ", time.gmtime()).encode()))),
        der(0x30, der_oid("1.2.840.113549.1.9.4") + der(0x31, der(0x04, directory_hash))),
    ]
    unsigned = b""
    if timestamp:
        token = der(0x30, der_oid("1.2.840.113549.1.7.2"))
        unsigned = der(0xA1, der(0x30, der_oid("1.2.840.113549.1.9.16.2.14") + der(0x31, token)))
    signer = der(0x30, der(0x02, b"\x01") + der(0x30, issuer + serial) + sha256 + der(0xA0, b"".join(sorted(attributes)))
                 + der(0x30, der_oid("1.2.840.10045.4.3.2")) + der(0x04, MARKER + directory_hash) + unsigned)
    content = der(0x30, der(0x02, b"\x01") + der(0x31, sha256) + der(0x30, der_oid("1.2.840.113549.1.7.1"))
                  + der(0xA0, certificate) + der(0x31, signer))
    return der(0x30, der_oid("1.2.840.113549.1.7.2") + der(0xA0, content))


def patterns(calls, name):
    path = os.path.join(calls, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def matches(path, globs):
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(os.path.basename(path), g) for g in globs)


def slices(data):
    """(offset, size, align) of each thin Mach-O in the file."""
    magic = struct.unpack_from(">I", data, 0)[0]
    if magic in (FAT_MAGIC, FAT_MAGIC_64):
        count = struct.unpack_from(">I", data, 4)[0]
        result = []
        for i in range(count):
            if magic == FAT_MAGIC:
                _, _, offset, size, align = struct.unpack_from(">iiIII", data, 8 + i * 20)
            else:
                _, _, offset, size, align, _ = struct.unpack_from(">iiQQII", data, 8 + i * 32)
            result.append((offset, size, align))
        return magic, result
    if struct.unpack_from("<I", data, 0)[0] == MH_MAGIC_64:
        return None, [(0, len(data), 0)]
    raise Failure("invalid or unsupported format for signature")


def load_commands(thin):
    ncmds, sizeofcmds = struct.unpack_from("<II", thin, 16)
    at = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", thin, at)
        yield at, cmd, size
        at += size


def blob(magic, payload):
    return struct.pack(">II", magic, 8 + len(payload)) + payload


def add_signature_command(thin):
    """Adds LC_CODE_SIGNATURE in the header padding, as codesign does for a file never signed."""
    ncmds, sizeofcmds = struct.unpack_from("<II", thin, 16)
    first_section = len(thin)
    for at, cmd, _ in load_commands(thin):
        if cmd == LC_SEGMENT_64:
            for i in range(struct.unpack_from("<I", thin, at + 64)[0]):
                offset = struct.unpack_from("<I", thin, at + 72 + i * 80 + 48)[0]
                if offset:
                    first_section = min(first_section, offset)
    end = 32 + sizeofcmds
    if end + 16 > first_section or any(thin[end:end + 16]):
        raise Failure("the header has no room for a code signature")
    struct.pack_into("<IIII", thin, end, LC_CODE_SIGNATURE, 16, len(thin), 0)
    struct.pack_into("<II", thin, 16, ncmds + 1, sizeofcmds + 16)
    return end


def sign_thin(thin, identifier, team, flags, entitlements, timestamp, certificate):
    thin = bytearray(thin)
    signature_command = linkedit = None
    text_end = 0
    filetype = struct.unpack_from("<I", thin, 12)[0]
    for at, cmd, _ in load_commands(thin):
        if cmd == LC_CODE_SIGNATURE:
            signature_command = at
        elif cmd == LC_SEGMENT_64:
            name = bytes(thin[at + 8:at + 24]).rstrip(b"\0")
            if name == b"__LINKEDIT":
                linkedit = at
            elif name == b"__TEXT":
                text_end = struct.unpack_from("<Q", thin, at + 48)[0]
    if signature_command is None:
        signature_command = add_signature_command(thin)

    old_offset = struct.unpack_from("<I", thin, signature_command + 8)[0]
    offset = (old_offset + 15) // 16 * 16
    del thin[old_offset:]
    thin.extend(b"\0" * (offset - old_offset))

    requirements = blob(0xFADE0C01, struct.pack(">I", 0))
    entitlement_blob = blob(0xFADE7171, entitlements) if entitlements is not None else None
    ident = identifier.encode() + b"\0"
    team_bytes = team.encode() + b"\0" if team else b""
    special = 5
    code_slots = (offset + PAGE - 1) // PAGE
    header = 88
    hash_offset = header + len(ident) + len(team_bytes) + special * 32
    directory_length = hash_offset + code_slots * 32
    # The CMS goes into the superblob after the CodeDirectory it signs, so its size is fixed first.
    placeholder = signed_data(certificate, b"\0" * 32, timestamp) if certificate else MARKER + b"\0" * 32
    cms_length = 8 + len(placeholder)
    entries = [(0, directory_length), (2, len(requirements))]
    if entitlement_blob is not None:
        entries.append((5, len(entitlement_blob)))
    entries.append((0x10000, cms_length))
    superblob_length = 12 + 8 * len(entries) + sum(length for _, length in entries)

    struct.pack_into("<II", thin, signature_command + 8, offset, superblob_length)
    if linkedit is not None:
        fileoff = struct.unpack_from("<Q", thin, linkedit + 40)[0]
        filesize = offset + superblob_length - fileoff
        vmsize = (filesize + 0x3FFF) // 0x4000 * 0x4000
        struct.pack_into("<Q", thin, linkedit + 32, vmsize)
        struct.pack_into("<Q", thin, linkedit + 48, filesize)

    pages = b"".join(hashlib.sha256(bytes(thin[i:min(i + PAGE, offset)])).digest() for i in range(0, offset, PAGE))
    slots = [b"\0" * 32] * special
    slots[special - 2] = hashlib.sha256(requirements).digest()  # slot 2
    if entitlement_blob is not None:
        slots[special - 5] = hashlib.sha256(entitlement_blob).digest()  # slot 5
    exec_flags = 1 if filetype == 2 else 0  # CS_EXECSEG_MAIN_BINARY
    directory = struct.pack(">IIIIIIIIIBBBBIIIIQQQQ",
                            0xFADE0C02, directory_length, 0x20400, flags, hash_offset,
                            header, special, code_slots, offset, 32, 2, 0, 12, 0, 0,
                            header + len(ident) if team else 0, 0, 0, 0, text_end, exec_flags)
    directory += ident + team_bytes + b"".join(slots) + pages
    assert len(directory) == directory_length

    digest = hashlib.sha256(directory).digest()
    cms = signed_data(certificate, digest, timestamp) if certificate else MARKER + digest
    assert len(cms) == len(placeholder)
    cms_blob = blob(0xFADE0B01, cms)
    blobs = [directory, requirements] + ([entitlement_blob] if entitlement_blob is not None else []) + [cms_blob]
    index = b""
    at = 12 + 8 * len(entries)
    for (kind, _), content in zip(entries, blobs):
        index += struct.pack(">II", kind, at)
        at += len(content)
    superblob = struct.pack(">III", 0xFADE0CC0, superblob_length, len(entries)) + index + b"".join(blobs)
    assert len(superblob) == superblob_length
    thin.extend(superblob)
    return bytes(thin)


def sign(calls, path, identity, options, entitlements, timestamp):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 32:
        raise Failure("invalid or unsupported format for signature")
    fat, parts = slices(data)
    adhoc = identity == "-"
    team = None
    if not adhoc:
        if "(" not in identity or not identity.endswith(")"):
            raise Failure(f"{identity}: no identity found")
        team = identity[identity.rindex("(") + 1:-1]
    flags = (0x10000 if "runtime" in options else 0) | (0x2 if adhoc else 0)
    identifier = os.path.basename(path).split(".")[0]
    certificate = None if adhoc else certificate_for(calls, identity, team)
    signed = [sign_thin(data[o:o + s], identifier, team, flags, entitlements, timestamp and not adhoc, certificate) for o, s, _ in parts]
    if fat is None:
        out = signed[0]
    else:
        out = bytearray(data[:8 + len(parts) * (20 if fat == FAT_MAGIC else 32)])
        at = len(out)
        for i, ((_, _, align), content) in enumerate(zip(parts, signed)):
            boundary = 1 << align
            at = (at + boundary - 1) // boundary * boundary
            entry = 8 + i * (20 if fat == FAT_MAGIC else 32)
            if fat == FAT_MAGIC:
                struct.pack_into(">II", out, entry + 8, at, len(content))
            else:
                struct.pack_into(">QQ", out, entry + 8, at, len(content))
            out.extend(b"\0" * (at - len(out)))
            out.extend(content)
            at += len(content)
        out = bytes(out)
    mode = os.stat(path).st_mode
    temporary = path + ".cstemp"
    with open(temporary, "wb") as f:
        f.write(out)
    os.chmod(temporary, mode & 0o7777)
    os.replace(temporary, path)


def read_signature(thin):
    for at, cmd, _ in load_commands(thin):
        if cmd == LC_CODE_SIGNATURE:
            offset, size = struct.unpack_from("<II", thin, at + 8)
            return offset, thin[offset:offset + size]
    return None, None


def check(path):
    """The CodeDirectory hashes of a file this fake signed; raises Failure otherwise."""
    with open(path, "rb") as f:
        data = f.read()
    _, parts = slices(data)
    hashes = []
    for o, s, _ in parts:
        thin = data[o:o + s]
        offset, superblob = read_signature(thin)
        if superblob is None:
            raise Failure("code object is not signed at all")
        count = struct.unpack_from(">I", superblob, 8)[0]
        directory = cms = None
        for i in range(count):
            kind, at = struct.unpack_from(">II", superblob, 12 + i * 8)
            length = struct.unpack_from(">I", superblob, at + 4)[0]
            if kind == 0:
                directory = superblob[at:at + length]
            elif kind == 0x10000:
                cms = superblob[at + 8:at + length]
        marker = -1 if cms is None else cms.find(MARKER)
        if directory is None or marker < 0:
            raise Failure("code object is not signed at all")
        if cms[marker + len(MARKER):marker + len(MARKER) + 32] != hashlib.sha256(directory).digest():
            raise Failure("invalid signature (code or signature have been modified)")
        hash_offset, _, _, code_slots, code_limit = struct.unpack_from(">IIIII", directory, 16)
        for page in range(code_slots):
            expected = directory[hash_offset + page * 32:hash_offset + (page + 1) * 32]
            start = page * PAGE
            if hashlib.sha256(thin[start:min(start + PAGE, code_limit)]).digest() != expected:
                raise Failure("invalid signature (code or signature have been modified)")
        hashes.append(hashlib.sha256(directory).hexdigest()[:40])
    return hashes


def is_macho(data):
    return data[:4] in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf")


def tickets(path):
    """What a notarization ticket lists for this file; raises Failure for an unsigned Mach-O."""
    with open(path, "rb") as f:
        data = f.read()
    if is_macho(data):
        return check(path)
    return ["sha256:" + hashlib.sha256(data).hexdigest()]


def notarized(calls, path):
    accepted = set(patterns(calls, "notary-tickets"))
    try:
        return all(t in accepted for t in tickets(path))
    except (Failure, OSError, struct.error):
        return False


def main(argv):
    calls, args = argv[1], argv[2:]
    if "--check-notarization" in args:
        path = args[-1]
        print(f"{path}: valid on disk", file=sys.stderr)
        if not notarized(calls, path):
            print(f"{path}: test-requirement: code failed to satisfy specified code requirement(s)", file=sys.stderr)
            return 3
        print(f"{path}: explicit requirement satisfied", file=sys.stderr)
        return 0
    if "--verify" in args:
        path = args[-1]
        try:
            check(path)
        except (Failure, OSError, struct.error) as failure:
            print(f"{path}: {failure}", file=sys.stderr)
            return 1
        print(f"{path}: valid on disk", file=sys.stderr)
        print(f"{path}: satisfies its Designated Requirement", file=sys.stderr)
        return 0

    identity = entitlements_file = None
    options, timestamp, force, paths = "", False, False, []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--sign", "-s"):
            identity, i = args[i + 1], i + 2
        elif a == "--options":
            options, i = args[i + 1], i + 2
        elif a == "--entitlements":
            entitlements_file, i = args[i + 1], i + 2
        elif a == "--timestamp":
            timestamp, i = True, i + 1
        elif a in ("--force", "-f"):
            force, i = True, i + 1
        elif a.startswith("-"):
            print(f"codesign: unrecognized option `{a}'", file=sys.stderr)
            return 2
        else:
            paths.append(a)
            i += 1
    if identity is None or not paths:
        print("Usage: codesign -s identity [-fv*] [-o flags] [-r reqs] [-i ident] path ...", file=sys.stderr)
        return 2

    entitlements = None
    if entitlements_file is not None:
        with open(entitlements_file, "rb") as f:
            entitlements = f.read()
    rejected, flaky = patterns(calls, "codesign.reject"), patterns(calls, "codesign.flaky")
    for path in paths:
        if matches(path, rejected):
            print(f"{path}: invalid or unsupported format for signature", file=sys.stderr)
            return 1
        if matches(path, flaky):
            seen = os.path.join(calls, "codesign.flaky-seen")
            done = set(patterns(calls, "codesign.flaky-seen"))
            if path not in done:
                with open(seen, "a") as f:
                    f.write(path + "\n")
                print(f"{path}: The timestamp service is not available.", file=sys.stderr)
                return 1
        try:
            if not force:
                try:
                    check(path)
                    print(f"{path}: is already signed", file=sys.stderr)
                    return 1
                except Failure:
                    pass
            sign(calls, path, identity, options, entitlements, timestamp)
        except Failure as failure:
            print(f"{path}: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
