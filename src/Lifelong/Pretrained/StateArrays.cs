using System.Text.Json.Nodes;
using Lifelong.Training;

namespace Lifelong.Pretrained;

/// <summary>Double and long arrays in a <see cref="MethodState"/>, stored bit-exact as base64 in its JSON values
/// (its tensors are float32, which would round accumulated statistics and break bit-exact resume).</summary>
internal static class StateArrays
{
    public static void Set(MethodState state, string key, double[] values) =>
        state.Values[key] = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    public static double[] GetDoubles(MethodState state, string key) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(Bytes(state, key)).ToArray();

    public static void Set(MethodState state, string key, long[] values) =>
        state.Values[key] = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    public static long[] GetLongs(MethodState state, string key) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(Bytes(state, key)).ToArray();

    private static byte[] Bytes(MethodState state, string key) =>
        Convert.FromBase64String(state.Values[key]?.GetValue<string>() ?? throw new InvalidDataException($"Method state: no value '{key}'."));

    public static JsonNode Node(MethodState state, string key) => state.Values[key] ?? throw new InvalidDataException($"Method state: no value '{key}'.");
}
