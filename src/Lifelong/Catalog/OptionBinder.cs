using System.Globalization;
using System.Reflection;
using System.Text;

namespace Lifelong.Catalog;

/// <summary>One option of a component: its command-line key, type, default and doc.</summary>
/// <param name="Name">The key in kebab case (<c>batch-size</c>).</param>
/// <param name="Type">The value's type.</param>
/// <param name="Default">The default value (null when absent).</param>
/// <param name="Description">The doc comment of the option.</param>
/// <param name="Range">Its declared valid range, or null when any value of its type is valid.</param>
public sealed record OptionInfo(string Name, Type Type, object? Default, string Description, BetweenAttribute? Range = null)
{
    /// <summary>The type with its valid range as <c>lifelong methods</c> shows it: "int ≥ 1", "number [0, 1)", "a|b|c".</summary>
    public string ValidValues => Range is null ? TypeName : $"{TypeName} {Range.Short(OptionRules.IsInteger(Type))}";

    /// <summary>The type as a user reads it: int, float, bool, text, one of a|b|c, list of ints.</summary>
    public string TypeName
    {
        get
        {
            var type = Nullable.GetUnderlyingType(Type) ?? Type;
            if (type.IsEnum) return string.Join('|', Enum.GetNames(type).Select(OptionBinder.Kebab));
            return type == typeof(int) || type == typeof(long) ? "int"
                : type == typeof(float) || type == typeof(double) ? "number"
                : type == typeof(bool) ? "bool"
                : type == typeof(int[]) ? "ints (AxB…)"
                : "text";
        }
    }
}

/// <summary>Binds <c>key=value</c> options to an options record through its primary constructor, so each record declares
/// its options, defaults and docs exactly once.</summary>
/// <remarks>Keys match parameters ignoring case, '-' and '_' (<c>batch-size</c>, <c>batch_size</c>, <c>BatchSize</c>).</remarks>
public static class OptionBinder
{
    /// <summary>The options of record <paramref name="type"/>, in declaration order.</summary>
    public static IReadOnlyList<OptionInfo> Describe(Type type) =>
        [.. Parameters(type).Select(p => new OptionInfo(Kebab(p.Name!), p.ParameterType, p.HasDefaultValue ? p.DefaultValue : null, XmlDocs.Parameter(type, p.Name!), OptionRules.RangeOf(p)))];

    /// <summary>The constructor parameters of record <paramref name="type"/>: its options, in declaration order.</summary>
    public static IReadOnlyList<ParameterInfo> Parameters(Type type) => Constructor(type).GetParameters();

    /// <summary>A <typeparamref name="T"/> with the given options and defaults for the rest.</summary>
    public static T Bind<T>(IReadOnlyDictionary<string, string> values, string context) => (T)Bind(typeof(T), values, context);

    /// <summary>An instance of record <paramref name="type"/> with the given options and defaults for the rest.</summary>
    /// <exception cref="ConfigurationException">An unknown key (the message lists the valid ones), a value that does not parse or
    /// one outside the option's declared range (<see cref="OptionRules"/>), checked before the record is built.</exception>
    public static object Bind(Type type, IReadOnlyDictionary<string, string> values, string context)
    {
        var constructor = Constructor(type);
        var parameters = constructor.GetParameters();
        foreach (string key in values.Keys)
            if (!parameters.Any(p => Normalize(p.Name!) == Normalize(key)))
                throw new ConfigurationException($"{context}: unknown option '{key}'.{Spelling.Suggest(key, parameters.Select(p => Kebab(p.Name!)))} Valid options: {(parameters.Length == 0 ? "none" : string.Join(", ", parameters.Select(p => Kebab(p.Name!))))}.");
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var given = values.FirstOrDefault(v => Normalize(v.Key) == Normalize(parameter.Name!));
            arguments[i] = given.Key is null
                ? (parameter.HasDefaultValue ? parameter.DefaultValue : throw new ConfigurationException($"{context}: option '{Kebab(parameter.Name!)}' is required."))
                : Convert(given.Value, parameter.ParameterType, $"{context}: option '{Kebab(parameter.Name!)}'", AcceptsNull(parameter));
            OptionRules.Check(parameter, parameter.ParameterType, arguments[i], $"{context}: option '{Kebab(parameter.Name!)}'");
        }
        try
        {
            return constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw new ConfigurationException($"{context}: {ConfigurationException.Plain(inner)}", inner);
        }
    }

    /// <summary>Parses <paramref name="text"/> as <paramref name="type"/>: numbers in invariant culture, bools as true/false/1/0/yes/no,
    /// enums by kebab or Pascal name, int arrays as <c>100x100</c>, "null" or "none" for an absent optional value.</summary>
    /// <param name="text">The value as typed.</param>
    /// <param name="type">The option's type.</param>
    /// <param name="context">Names the option in a message.</param>
    /// <param name="acceptsNull">Whether the option may be absent although <paramref name="type"/> is a reference type (a
    /// nullable reference such as <c>int[]?</c>, which reflection cannot tell from <c>int[]</c>); nullable value types always may.</param>
    public static object? Convert(string text, Type type, string context, bool acceptsNull = false)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if ((underlying is not null || acceptsNull) && text.ToLowerInvariant() is "null" or "none" or "") return null;
        type = underlying ?? type;
        var invariant = CultureInfo.InvariantCulture;
        object? value = type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(int) => int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, invariant, out int i) ? i : null,
            _ when type == typeof(long) => long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, invariant, out long l) ? l : null,
            _ when type == typeof(ulong) => ulong.TryParse(text, NumberStyles.Integer, invariant, out ulong u) ? u : null,
            _ when type == typeof(float) => float.TryParse(text, NumberStyles.Float, invariant, out float f) && float.IsFinite(f) ? f : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, invariant, out double d) && double.IsFinite(d) ? d : null,
            _ when type == typeof(bool) => text.ToLowerInvariant() switch { "true" or "1" or "yes" or "on" => true, "false" or "0" or "no" or "off" => false, _ => null },
            _ when type == typeof(int[]) => ParseInts(text),
            _ when type.IsEnum => Enum.GetNames(type).FirstOrDefault(n => Normalize(n) == Normalize(text)) is { } name ? Enum.Parse(type, name) : null,
            _ => throw new ConfigurationException($"{context}: options of type {type.Name} cannot be given on the command line."),
        };
        if (value is null)
        {
            string expected = type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(Kebab)) : new OptionInfo("", type, null, "").TypeName;
            throw new ConfigurationException($"{context}: '{text}' is not a valid value; expected {expected}.");
        }
        return value;
    }

    /// <summary>Every option of <paramref name="options"/> (a bound record) as kebab-case key → text, in declaration order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Values(object options) =>
        [.. Constructor(options.GetType()).GetParameters().Select(p => new KeyValuePair<string, string>(Kebab(p.Name!),
            ComponentSpec.Format(options.GetType().GetProperty(p.Name!)?.GetValue(options)) is { Length: > 0 } text ? text : "none"))];

    /// <summary>The spec <c>name:key=value,...</c> with every option of <paramref name="options"/> spelled out.</summary>
    public static string Resolve(string name, object? options) =>
        options is null || Values(options).Count == 0 ? name : $"{name}:{string.Join(',', Values(options).Select(v => $"{v.Key}={v.Value}"))}";

    /// <summary>PascalCase → kebab-case (<c>BatchSize</c> → <c>batch-size</c>).</summary>
    public static string Kebab(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) text.Append('-');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    /// <summary>Whether <paramref name="parameter"/> may be null: a nullable value type, or a reference type declared nullable
    /// (<c>int[]?</c>, <c>string?</c>), as <see cref="Values"/> writes such an absent value as <c>none</c>.</summary>
    public static bool AcceptsNull(ParameterInfo parameter) =>
        Nullable.GetUnderlyingType(parameter.ParameterType) is not null
        || (!parameter.ParameterType.IsValueType && new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable);

    private static string Normalize(string key) => key.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static int[]? ParseInts(string text)
    {
        var parts = text.Split('x', ';', '/');
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0) return null;
        return values;
    }

    private static ConstructorInfo Constructor(Type type) =>
        type.GetConstructors().Where(c => !(c.GetParameters() is [var only] && only.ParameterType == type)).MaxBy(c => c.GetParameters().Length)
        ?? throw new InvalidOperationException($"{type.Name} has no public constructor to bind options to.");
}
