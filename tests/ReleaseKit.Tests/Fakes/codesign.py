#!/usr/bin/env python3
"""A fake of macOS codesign(1) for tests on Linux.

Signing really rewrites the Mach-O: it replaces the LC_CODE_SIGNATURE superblob with a
CodeDirectory (SHA-256 page hashes, identifier, team, hardened-runtime flag), a requirements
blob, the entitlements, and a CMS blob that carries signingTime and, with --timestamp, the
RFC 3161 timestamp-token attribute, so the project's own Mach-O reader judges the result like
a real Developer ID signature. The CMS blob holds a marker and the CodeDirectory's hash instead
of a real PKCS#7 signature; `--verify` checks both and every page hash, so it fails for files
this fake did not sign (linker signatures included) and for files changed after signing.

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
import sys

MARKER = b"fake-codesign-cms"
PAGE = 4096
LC_CODE_SIGNATURE = 0x1D
LC_SEGMENT_64 = 0x19
MH_MAGIC_64 = 0xFEEDFACF
FAT_MAGIC = 0xCAFEBABE
FAT_MAGIC_64 = 0xCAFEBABF
SIGNING_TIME_OID = bytes([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05])
TIMESTAMP_OID = bytes([0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x0E])


class Failure(Exception):
    pass


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


def sign_thin(thin, identifier, team, flags, entitlements, timestamp):
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
    cms_length = 8 + len(MARKER) + 32 + len(SIGNING_TIME_OID) + (len(TIMESTAMP_OID) if timestamp else 0) + (len(team_bytes))
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

    cms = MARKER + hashlib.sha256(directory).digest() + SIGNING_TIME_OID + (TIMESTAMP_OID if timestamp else b"") + team_bytes
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


def sign(path, identity, options, entitlements, timestamp):
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
    signed = [sign_thin(data[o:o + s], identifier, team, flags, entitlements, timestamp and not adhoc) for o, s, _ in parts]
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
        if directory is None or cms is None or not cms.startswith(MARKER):
            raise Failure("code object is not signed at all")
        if cms[len(MARKER):len(MARKER) + 32] != hashlib.sha256(directory).digest():
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
            sign(path, identity, options, entitlements, timestamp)
        except Failure as failure:
            print(f"{path}: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
