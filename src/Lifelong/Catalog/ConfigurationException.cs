namespace Lifelong.Catalog;

/// <summary>A run was configured wrongly: unknown name, unknown option, a value of the wrong type or out of range.
/// The message says what was wrong and lists what is valid; the command line exits with code 2.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The message of <paramref name="e"/> as a person should read it: without .NET's " (Parameter 'x')" and
    /// "Actual value was …" suffixes, which name a C# parameter the user never typed.</summary>
    public static string Plain(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            int cut = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
        }
        int actual = message.IndexOf("\nActual value was", StringComparison.Ordinal);
        if (actual < 0) actual = message.IndexOf(Environment.NewLine + "Actual value was", StringComparison.Ordinal);
        return actual >= 0 ? message[..actual] : message;
    }
}
