using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Lifelong.Catalog;

/// <summary>Checks option values against the ranges their records declare (<see cref="BetweenAttribute"/> and its kin): the one
/// place where a value is judged, whether it came from the command line, a config file or code.</summary>
public static class OptionRules
{
    /// <summary>The declared range of <paramref name="member"/> (a constructor parameter or a property), or null.</summary>
    public static BetweenAttribute? RangeOf(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(typeof(BetweenAttribute), inherit: false).OfType<BetweenAttribute>().FirstOrDefault();

    /// <summary>Whether values of <paramref name="type"/> (or its elements) are whole numbers.</summary>
    public static bool IsInteger(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) type = type.GetElementType()!;
        else if (type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable).IsAssignableFrom(type)) type = element;
        return type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(short) || type == typeof(byte);
    }

    /// <summary>The problem with <paramref name="value"/> for an option of <paramref name="type"/> declared by
    /// <paramref name="member"/>, or null when it is valid. Non-finite numbers are refused even without a declared range.</summary>
    /// <param name="member">The parameter or property that declares the range.</param>
    /// <param name="type">The option's type.</param>
    /// <param name="value">The value to judge; null (absent) is valid.</param>
    /// <param name="name">How the user spells the option (<c>option 'lr'</c>, <c>--steps</c>, <c>setting 'tasks'</c>).</param>
    public static string? Problem(ICustomAttributeProvider member, Type type, object? value, string name)
    {
        if (value is null) return null;
        var range = RangeOf(member);
        bool integer = IsInteger(type);
        foreach (var number in Numbers(value))
        {
            if (number is null) continue;
            double x = number.Value;
            if (range is not null && !range.Admits(x))
                return $"{name} = {Text(value)} is not valid; expected {range.Describe(integer)}{(value is string or not IEnumerable ? "" : " for every element")}.";
            if (range is null && !double.IsFinite(x)) return $"{name} = {Text(value)} is not valid; expected a finite number.";
        }
        return null;
    }

    /// <summary>Throws when <paramref name="value"/> is not valid for <paramref name="member"/>.</summary>
    /// <exception cref="ConfigurationException">The value is outside the declared range; the message names the option, the value and the range.</exception>
    public static void Check(ICustomAttributeProvider member, Type type, object? value, string name)
    {
        if (Problem(member, type, value, name) is { } problem) throw new ConfigurationException(problem);
    }

    /// <summary>Checks every constructor parameter of record <paramref name="record"/> against its declared range, reading the
    /// value from the property of the same name.</summary>
    /// <param name="record">An options record built in code or bound from text.</param>
    /// <param name="name">How to spell option <c>P</c> in a message (e.g. <c>p =&gt; $"--{p}"</c>); gets the kebab-case name.</param>
    /// <exception cref="ConfigurationException">The first value outside its range.</exception>
    public static void Validate(object record, Func<string, string> name)
    {
        var type = record.GetType();
        foreach (var parameter in OptionBinder.Parameters(type))
            Check(parameter, parameter.ParameterType, type.GetProperty(parameter.Name!)?.GetValue(record), name(OptionBinder.Kebab(parameter.Name!)));
    }

    private static IEnumerable<double?> Numbers(object value) => value switch
    {
        int i => [i],
        long l => [l],
        ulong u => [u],
        float f => [f],
        double d => [d],
        short s => [s],
        byte b => [b],
        string => [],
        IEnumerable list => list.Cast<object?>().SelectMany(e => e is null ? [null] : Numbers(e)),
        _ => [],
    };

    private static string Text(object value) => value switch
    {
        string s => s,
        IEnumerable list => string.Join(',', list.Cast<object?>().Select(e => ComponentSpec.Format(e))),
        _ => ComponentSpec.Format(value),
    };
}
