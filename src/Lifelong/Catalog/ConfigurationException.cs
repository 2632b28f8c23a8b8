namespace Lifelong.Catalog;

/// <summary>A run was configured wrongly: unknown name, unknown option, a value of the wrong type or out of range.
/// The message says what was wrong and lists what is valid; the command line exits with code 2.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
