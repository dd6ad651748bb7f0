namespace ReleaseKit.Tooling;

public sealed class ToolNotFoundException(string tool, string message) : ReleaseException(message)
{
    public string Tool { get; } = tool;
}
