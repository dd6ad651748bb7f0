using System.Text;

namespace ReleaseKit.Benchmarks;

/// <summary>
/// A tree shaped like a bundled Python with its packages: tens of thousands of small source and
/// bytecode files, some larger binaries, symlinks; contents compress about as well as the real thing.
/// </summary>
public static class PythonLikeTree
{
    public static long Create(string root, int megabytes)
    {
        var random = new Random(42);
        var words = "import def return self class for in if else elif while try except with as from lambda yield None True False numpy mlx array tensor model layer weight bias".Split(' ');
        var budget = (long)megabytes << 20;
        long written = 0;
        var fileNumber = 0;

        Directory.CreateDirectory(Path.Combine(root, "python", "bin"));
        File.WriteAllText(Path.Combine(root, "python", "bin", "python3.12"), "binary");
        File.CreateSymbolicLink(Path.Combine(root, "python", "bin", "python3"), "python3.12");

        while (written < budget)
        {
            var package = Path.Combine(root, "python", "lib", "python3.12", "site-packages", $"pkg{fileNumber / 400}", $"mod{fileNumber / 40 % 10}");
            Directory.CreateDirectory(package);
            byte[] content;
            string name;
            if (fileNumber % 97 == 0)
            {
                // A native library: less compressible, larger.
                content = new byte[random.Next(200_000, 2_000_000)];
                random.NextBytes(content.AsSpan(0, content.Length / 3));
                name = $"_native{fileNumber}.so";
            }
            else
            {
                var text = new StringBuilder();
                var size = random.Next(500, 40_000);
                while (text.Length < size)
                    text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? '\n' : ' ');
                content = Encoding.UTF8.GetBytes(text.ToString());
                name = fileNumber % 3 == 0 ? $"m{fileNumber}.cpython-312.pyc" : $"m{fileNumber}.py";
            }

            var path = Path.Combine(package, name);
            File.WriteAllBytes(path, content);
            if (name.EndsWith(".so"))
                File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
            written += content.Length;
            fileNumber++;
        }

        return fileNumber;
    }
}
