using System.Diagnostics;

namespace Lifelong.NN.Tests;

/// <summary>The engine gives the same bits on every CPU: tests/Lifelong.CrossIsa's kernel cases and short training runs,
/// run in child processes with the runtime's instruction-set switches, print the same hashes as the default path.</summary>
/// <remarks>
/// <c>DOTNET_EnableAVX512F=0</c> takes an AVX-512 machine down to the AVX2 path (a no-op elsewhere),
/// <c>DOTNET_EnableAVX2=0</c> to 128-bit vectors without FMA (the software-fused path), and
/// <c>DOTNET_EnableHWIntrinsic=0</c> to no SIMD at all. ARM64's NEON runs the 128-bit path.
/// <c>LIFELONG_EMULATE_AVX512=1</c> runs the engine's AVX-512 paths (GEMM kernels, reductions, Adam) on a machine without
/// AVX-512, .NET computing their 512-bit operations in software with the hardware's roundings
/// (<see cref="Lifelong.Tensors.EngineInfo.Avx512Emulated"/>): so every machine checks the AVX-512 paths too.
/// </remarks>
public class CrossIsaTests
{
    // Each child's environment: a runtime switch turned off, or the engine's AVX-512 emulation turned on (where the
    // machine has AVX-512 that child is the default path again, and the comparison holds trivially).
    private static readonly (string Name, string Value)[] Switches =
        [("DOTNET_EnableAVX512F", "0"), ("DOTNET_EnableAVX2", "0"), ("DOTNET_EnableHWIntrinsic", "0"), ("LIFELONG_EMULATE_AVX512", "1")];

    [Fact]
    public async Task Every_instruction_set_path_prints_the_same_bits_as_the_default()
    {
        // All four children at once.
        var outputs = await Task.WhenAll(new[] { "" }.Concat(Switches.Select(s => s.Name)).Select(s => Probes[s].Value));
        var reference = outputs[0];
        Assert.True(reference.Cases.Count > 40, $"the probe printed only {reference.Cases.Count} cases");

        var failures = new List<string>();
        for (int i = 0; i < Switches.Length; i++)
        {
            var output = outputs[i + 1];
            Assert.Equal(reference.Cases.Keys, output.Cases.Keys);
            var differing = reference.Cases.Where(c => output.Cases[c.Key] != c.Value).Select(c => c.Key).ToList();
            if (differing.Count > 0) failures.Add($"{Switches[i].Name}={Switches[i].Value} ({output.Path}) differs in {differing.Count} cases: {string.Join(", ", differing)}");
        }
        Assert.True(failures.Count == 0, $"default path ({reference.Path}):\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task The_switches_reach_the_child_process()
    {
        // Without this, a switch the runtime ignored would make the comparison above vacuous.
        Assert.Contains("Vector128=False", (await Probes["DOTNET_EnableHWIntrinsic"].Value).Path);
        Assert.Contains("Vector256=False", (await Probes["DOTNET_EnableAVX2"].Value).Path);
        Assert.Contains("Vector512=False", (await Probes["DOTNET_EnableAVX512F"].Value).Path);
        Assert.Matches("Engine=avx512(-emulated)? ", (await Probes["LIFELONG_EMULATE_AVX512"].Value).Path + " ");
    }

    /// <summary>One child per switch ("" for none), started together on first use and shared by the tests.</summary>
    private static readonly Dictionary<string, Lazy<Task<(string Path, Dictionary<string, string> Cases)>>> Probes =
        new[] { "" }.Concat(Switches.Select(s => s.Name)).ToDictionary(s => s, s => new Lazy<Task<(string, Dictionary<string, string>)>>(
            () => Task.Run(() => Probe(s.Length == 0 ? null : Switches.Single(w => w.Name == s)))));

    private static (string Path, Dictionary<string, string> Cases) Probe((string Name, string Value)? setting)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "Lifelong.CrossIsa.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(probe);
        foreach (var (name, _) in Switches) start.Environment.Remove(name);
        if (setting is { } s) start.Environment[s.Name] = s.Value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"probe with {(setting is { } t ? $"{t.Name}={t.Value}" : "no switch")} exited {process.ExitCode}: {error.Result}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0], lines.Skip(1).Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1]));
    }
}
