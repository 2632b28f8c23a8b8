using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

/// <summary>What the engine runs on: the instruction-set path its kernels take, its thread count and the CPU.</summary>
/// <remarks>
/// Runs record this as provenance. The numbers do not depend on it (every path sums in the same order with the same
/// arithmetic), but the speed does, and a result that should match and does not is first checked here.
/// The path is read from what the runtime accelerates, so <c>DOTNET_EnableAVX512F=0</c> and similar switches show.
/// </remarks>
public static class EngineInfo
{
    /// <summary>Whether the engine runs its AVX-512 code paths on a machine without AVX-512 (environment variable
    /// <c>LIFELONG_EMULATE_AVX512=1</c>), .NET computing their 512-bit vector operations in software.</summary>
    /// <remarks>
    /// For testing only, and many times slower: it lets a machine without AVX-512 check that the AVX-512 paths (the GEMM
    /// micro-kernel and direct kernels, the fixed-order reductions, Adam's update) give the bits of every other path.
    /// Those paths are written with cross-platform <c>Vector512</c> operations alone, whose software fallback rounds as the
    /// hardware does (fused multiply-adds stay fused), so what the emulation prints is what an AVX-512 machine prints.
    /// Declared before <see cref="InstructionSet"/>, whose initialiser reads it (static initialisers run in order).
    /// </remarks>
    public static bool Avx512Emulated { get; } =
        Environment.GetEnvironmentVariable("LIFELONG_EMULATE_AVX512") == "1" && !(Avx512F.IsSupported && Vector512.IsHardwareAccelerated);

    /// <summary>The widest vector path: <c>avx512</c> (AVX-512F, 512-bit vectors), <c>avx2</c> (AVX2 with FMA, 256-bit),
    /// <c>vector128</c> (SSE or Arm AdvSimd, 128-bit) or <c>scalar</c>; <c>avx512-emulated</c> under
    /// <see cref="Avx512Emulated"/>.</summary>
    public static string InstructionSet { get; } =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? "avx512"
        : Avx512Emulated ? "avx512-emulated"
        : Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated ? "avx2"
        : Vector128.IsHardwareAccelerated ? "vector128"
        : "scalar";

    /// <summary>Whether fused multiply-add is in hardware (x86 FMA3 or Arm AdvSimd).</summary>
    public static bool FusedMultiplyAdd { get; } = Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    /// <summary>The most threads one kernel call uses: the logical processors the process may run on, capped by the kernels' fixed split.</summary>
    public static int Threads => Math.Min(Environment.ProcessorCount, Gemm.MaxThreads);

    /// <summary>The CPU's model name: <c>model name</c> of <c>/proc/cpuinfo</c> on Linux (x86), the Arm part there
    /// otherwise, <c>PROCESSOR_IDENTIFIER</c> on Windows; the architecture alone where none of these says more.</summary>
    public static string CpuModel { get; } = ReadCpuModel();

    /// <summary>One line for logs: <c>avx512, 2 threads, Intel(R) Xeon(R) ...</c>.</summary>
    public static string Describe() => $"{InstructionSet}{(FusedMultiplyAdd ? "+fma" : "")}, {Threads} thread{(Threads == 1 ? "" : "s")}, {CpuModel}";

    private static string ReadCpuModel()
    {
        string architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                var fields = File.ReadLines("/proc/cpuinfo")
                    .Select(line => line.Split(':', 2))
                    .Where(parts => parts.Length == 2)
                    .Select(parts => (Key: parts[0].Trim(), Value: parts[1].Trim()))
                    .ToList();
                string? Field(string key) => fields.FirstOrDefault(f => f.Key == key && f.Value.Length > 0).Value;
                // x86 has "model name"; Arm kernels give "Model" (boards), or only the implementer and part numbers.
                string? model = Field("model name") ?? Field("Model") ?? Field("Hardware");
                if (model is not null) return model;
                if (Field("CPU implementer") is { } implementer && Field("CPU part") is { } part)
                    return $"{architecture} (implementer {implementer}, part {part})";
            }
            else if (OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") is { Length: > 0 } identifier)
            {
                return identifier;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A sandbox that hides /proc still gets the architecture below.
        }
        return $"{architecture} (model unknown)";
    }
}
