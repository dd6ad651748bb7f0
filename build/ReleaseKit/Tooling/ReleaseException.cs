namespace ReleaseKit.Tooling;

/// <summary>
/// A failure a release engineer can act on: the message says what is wrong and how to fix it.
/// Everything the library throws on purpose derives from this type.
/// </summary>
public class ReleaseException : Exception
{
    public ReleaseException(string message) : base(message) { }

    public ReleaseException(string message, Exception inner) : base(message, inner) { }
}
