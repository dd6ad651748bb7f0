using System.IO.Compression;
using ReleaseKit.Packaging;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Packaging;

public class ParallelGzipStreamTests : IDisposable
{
    private const int Chunk = 64 * 1024;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Data(int length)
    {
        var random = new Random(length);
        var data = new byte[length];
        for (var i = 0; i < length; i++)
            data[i] = (byte)(i % 7 == 0 ? random.Next(256) : 'a' + i % 13);
        return data;
    }

    private static byte[] Compress(byte[] data, int writeSize = 4096)
    {
        using var output = new MemoryStream();
        using (var gzip = new ParallelGzipStream(output, 6, Chunk, threads: 2))
        {
            for (var offset = 0; offset < data.Length; offset += writeSize)
                gzip.Write(data, offset, Math.Min(writeSize, data.Length - offset));
            gzip.Finish();
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(5 * Chunk + 12345)]
    public void Produces_one_gzip_member_that_NET_and_GNU_gzip_both_read(int length)
    {
        var data = Data(length);
        var compressed = Compress(data, writeSize: 7777);

        using (var reader = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress))
        using (var result = new MemoryStream())
        {
            reader.CopyTo(result);
            result.ToArray().Should().Equal(data);
        }

        var file = _temp.Write("data.gz", "");
        File.WriteAllBytes(file, compressed);
        Shell.Run("gzip", "-t", file);
        Shell.Run("gzip", "-dkf", file);
        File.ReadAllBytes(_temp["data"]).Should().Equal(data);
    }

    [Fact]
    public void Writes_a_header_without_name_or_time_so_equal_input_gives_equal_bytes()
    {
        var data = Data(3 * Chunk);

        var first = Compress(data);
        var second = Compress(data, writeSize: 1000);

        first.Should().Equal(second);
        first.Take(10).Should().Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 });
    }

    [Fact]
    public void An_unfinished_stream_is_not_a_valid_gzip_file()
    {
        using var output = new MemoryStream();
        using (var gzip = new ParallelGzipStream(output, 6, Chunk))
            gzip.Write(Data(3 * Chunk));

        var file = _temp["partial.gz"];
        File.WriteAllBytes(file, output.ToArray());
        var act = () => Shell.Run("gzip", "-t", file);

        act.Should().Throw<InvalidOperationException>();
    }
}
