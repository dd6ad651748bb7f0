using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ReleaseKit.Packaging;

/// <summary>
/// A minisign secret key, as `minisign -G` writes it: "untrusted comment: ..." then base64 of the
/// algorithm ("Ed"), the key derivation ("Sc" for scrypt, or zeros with -W), the checksum
/// algorithm ("B2"), the scrypt salt and limits, and the key number: key id (8 bytes), Ed25519
/// secret key (seed and public key, 64 bytes) and a BLAKE2b-256 checksum (32 bytes), XORed with
/// the scrypt output when the key has a password. It signs as minisign does: Ed25519 over the
/// BLAKE2b-512 of the file ("ED", prehashed), and a global signature over that signature and the
/// trusted comment.
/// </summary>
public sealed class MinisignKey
{
    private const int KeyNumberLength = 8 + 64 + 32;

    private MinisignKey(byte[] keyId, byte[] seed, byte[] publicKey)
    {
        KeyId = keyId;
        Seed = seed;
        PublicKey = publicKey;
    }

    /// <summary>The key id as minisign shows it: the 8 bytes read as a little-endian number, in upper-case hex.</summary>
    public string Id => BinaryPrimitives.ReadUInt64LittleEndian(KeyId).ToString("X16");

    private byte[] KeyId { get; }

    private byte[] Seed { get; }

    private byte[] PublicKey { get; }

    /// <summary>The public key as `minisign -P` takes it (base64 of "Ed", the key id and the Ed25519 public key).</summary>
    public string PublicKeyText => Convert.ToBase64String([.. "Ed"u8, .. KeyId, .. PublicKey]);

    /// <exception cref="FormatException">Not a minisign secret key, a password missing or wrong.</exception>
    public static MinisignKey Parse(string text, string? password)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2 || !lines[0].StartsWith("untrusted comment:", StringComparison.Ordinal))
            throw new FormatException("it is not a minisign secret key (minisign -G writes one: an 'untrusted comment:' line, then the key)");
        byte[] data;
        try
        {
            data = Convert.FromBase64String(lines[1]);
        }
        catch (System.FormatException)
        {
            throw new FormatException("its second line is not base64");
        }

        if (data.Length != 6 + 32 + 16 + KeyNumberLength || data[0] != 'E' || data[1] != 'd' || data[4] != 'B' || data[5] != '2')
            throw new FormatException("it is not an Ed25519 minisign secret key");
        var encrypted = data[2] == 'S' && data[3] == 'c';
        if (!encrypted && (data[2] != 0 || data[3] != 0))
            throw new FormatException($"it uses key derivation '{Encoding.ASCII.GetString(data, 2, 2)}', which minisign does not write");

        var keyNumber = data.AsSpan(54, KeyNumberLength).ToArray();
        if (encrypted)
        {
            if (string.IsNullOrEmpty(password))
                throw new FormatException("it is protected by a password, and none was given (UPDATE_SIGNING_KEY_PASSWORD)");
            var mask = Scrypt(password, data.AsSpan(6, 32).ToArray(),
                BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(38)), BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(46)));
            for (var i = 0; i < keyNumber.Length; i++)
                keyNumber[i] ^= mask[i];
        }

        var keyId = keyNumber[..8];
        var secret = keyNumber[8..72];
        var checksum = keyNumber[72..];
        // minisign -W leaves the checksum of an unprotected key empty.
        if (encrypted || checksum.Any(x => x != 0))
        {
            var expected = Blake2b(256, [.. data.AsSpan(0, 2), .. keyId, .. secret]);
            if (!expected.AsSpan().SequenceEqual(checksum))
                throw new FormatException(encrypted ? "the password is wrong (the key's checksum does not match)" : "the key is damaged (its checksum does not match)");
        }

        var seed = secret[..32];
        var publicKey = secret[32..];
        if (!new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded().AsSpan().SequenceEqual(publicKey))
            throw new FormatException("the key is damaged (its public half does not belong to its secret half)");
        return new MinisignKey(keyId, seed, publicKey);
    }

    /// <summary>The id of the key that made a .minisig, as minisign shows it; null when the text is not a minisign signature.</summary>
    public static string? KeyIdOf(string signature)
    {
        var lines = signature.ReplaceLineEndings("\n").Split('\n');
        try
        {
            var data = lines.Length > 1 ? Convert.FromBase64String(lines[1].Trim()) : [];
            return data.Length == 74 ? BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(2)).ToString("X16") : null;
        }
        catch (System.FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Checks a .minisig against a public key (base64, as `minisign -P` takes it) and the file:
    /// the signature over the file's BLAKE2b-512 and the global signature over the trusted comment.
    /// </summary>
    /// <returns>The trusted comment; null with the reason when anything does not verify.</returns>
    public static (string? TrustedComment, string? Problem) Verify(string publicKeyText, Stream file, string minisig)
    {
        byte[] publicKey, signature, global;
        var lines = minisig.ReplaceLineEndings("\n").Split('\n');
        try
        {
            publicKey = Convert.FromBase64String(publicKeyText.Trim());
            signature = lines.Length > 3 ? Convert.FromBase64String(lines[1].Trim()) : [];
            global = lines.Length > 3 ? Convert.FromBase64String(lines[3].Trim()) : [];
        }
        catch (System.FormatException)
        {
            return (null, "the public key or the signature is not base64");
        }

        if (publicKey.Length != 42 || publicKey[0] != 'E' || publicKey[1] != 'd')
            return (null, "the public key is not a minisign Ed25519 key");
        if (signature.Length != 74 || signature[0] != 'E' || signature[1] != 'D' || !lines[2].StartsWith("trusted comment: ", StringComparison.Ordinal) || global.Length != 64)
            return (null, "it is not a prehashed minisign signature");
        if (!signature.AsSpan(2, 8).SequenceEqual(publicKey.AsSpan(2, 8)))
            return (null, $"it was made with key {BinaryPrimitives.ReadUInt64LittleEndian(signature.AsSpan(2)):X16}, not {BinaryPrimitives.ReadUInt64LittleEndian(publicKey.AsSpan(2)):X16}");

        var hash = Blake2b512(file);
        var key = new Ed25519PublicKeyParameters(publicKey, 10);
        if (!Ed25519Verify(key, hash, signature[10..]))
            return (null, "the file does not match its signature");
        var trusted = lines[2]["trusted comment: ".Length..];
        if (!Ed25519Verify(key, [.. signature[10..], .. Encoding.UTF8.GetBytes(trusted)], global))
            return (null, "the trusted comment does not match its signature");
        return (trusted, null);
    }

    private static bool Ed25519Verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }

    /// <summary>The .minisig text for a file: its BLAKE2b-512 signed, and the trusted comment signed with that signature.</summary>
    public string Sign(Stream file, string trustedComment)
    {
        if (trustedComment.Contains('\n') || trustedComment.Contains('\r'))
            throw new ArgumentException("A trusted comment is one line", nameof(trustedComment));
        var hash = Blake2b512(file);

        var signature = Ed25519(hash);
        var global = Ed25519([.. signature, .. Encoding.UTF8.GetBytes(trustedComment)]);
        return $"untrusted comment: signature from minisign secret key {Id}\n" +
               $"{Convert.ToBase64String([.. "ED"u8, .. KeyId, .. signature])}\n" +
               $"trusted comment: {trustedComment}\n" +
               $"{Convert.ToBase64String(global)}\n";
    }

    private byte[] Ed25519(byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(Seed));
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }

    /// <summary>The BLAKE2b-512 of a whole file, which minisign's prehashed ("ED") signatures sign.</summary>
    private static byte[] Blake2b512(Stream file)
    {
        var digest = new Blake2bDigest(512);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = file.Read(buffer)) > 0)
            digest.BlockUpdate(buffer, 0, read);
        var hash = new byte[64];
        digest.DoFinal(hash, 0);
        return hash;
    }

    private static byte[] Blake2b(int bits, byte[] data)
    {
        var digest = new Blake2bDigest(bits);
        digest.BlockUpdate(data, 0, data.Length);
        var output = new byte[bits / 8];
        digest.DoFinal(output, 0);
        return output;
    }

    /// <summary>scrypt with the parameters libsodium derives from minisign's limits (crypto_pwhash_scryptsalsa208sha256's pickparams).</summary>
    private static byte[] Scrypt(string password, byte[] salt, ulong opsLimit, ulong memLimit)
    {
        opsLimit = Math.Max(opsLimit, 32768);
        const int r = 8;
        int nLog2, p;
        if (opsLimit < memLimit / 32)
        {
            p = 1;
            nLog2 = SmallestLog2Above(opsLimit / (r * 4) / 2);
        }
        else
        {
            nLog2 = SmallestLog2Above(memLimit / (r * 128) / 2);
            var maxRp = Math.Min((opsLimit / 4) / (1UL << nLog2), 0x3fffffff);
            p = (int)(maxRp / r);
        }

        if (nLog2 > 24 || p < 1)
            throw new FormatException($"its scrypt limits ({opsLimit}, {memLimit}) ask for more than a release build should spend");
        return SCrypt.Generate(Encoding.UTF8.GetBytes(password), salt, 1 << nLog2, r, p, KeyNumberLength);
    }

    private static int SmallestLog2Above(ulong value)
    {
        var log2 = 1;
        while (log2 < 63 && 1UL << log2 <= value)
            log2++;
        return log2;
    }
}
