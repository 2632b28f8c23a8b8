using System.Diagnostics;

namespace Lifelong.NN.Tests;

/// <summary>The engine gives the same bits on every CPU: tests/Lifelong.CrossIsa's kernel cases and short training runs,
/// run in child processes with the runtime's instruction-set switches, print the same hashes as the default path.</summary>
/// <remarks>
/// <c>DOTNET_EnableAVX512F=0</c> takes an AVX-512 machine down to the AVX2 path (a no-op elsewhere),
/// <c>DOTNET_EnableAVX2=0</c> to 128-bit vectors without FMA (the software-fused path), and
/// <c>DOTNET_EnableHWIntrinsic=0</c> to no SIMD at all. ARM64's NEON runs the 128-bit path.
/// </remarks>
public class CrossIsaTests
{
    private static readonly string[] Switches = ["DOTNET_EnableAVX512F", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"];

    [Fact]
    public async Task Every_instruction_set_path_prints_the_same_bits_as_the_default()
    {
        // All four children at once.
        var outputs = await Task.WhenAll(new[] { "" }.Concat(Switches).Select(s => Probes[s].Value));
        var reference = outputs[0];
        Assert.True(reference.Cases.Count > 40, $"the probe printed only {reference.Cases.Count} cases");

        var failures = new List<string>();
        for (int i = 0; i < Switches.Length; i++)
        {
            var output = outputs[i + 1];
            Assert.Equal(reference.Cases.Keys, output.Cases.Keys);
            var differing = reference.Cases.Where(c => output.Cases[c.Key] != c.Value).Select(c => c.Key).ToList();
            if (differing.Count > 0) failures.Add($"{Switches[i]}=0 ({output.Path}) differs in {differing.Count} cases: {string.Join(", ", differing)}");
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
    }

    /// <summary>One child per switch ("" for none), started together on first use and shared by the tests.</summary>
    private static readonly Dictionary<string, Lazy<Task<(string Path, Dictionary<string, string> Cases)>>> Probes =
        new[] { "" }.Concat(Switches).ToDictionary(s => s, s => new Lazy<Task<(string, Dictionary<string, string>)>>(
            () => Task.Run(() => Probe(s.Length == 0 ? null : s))));

    private static (string Path, Dictionary<string, string> Cases) Probe(string? disabledSwitch)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "Lifelong.CrossIsa.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(probe);
        foreach (string name in Switches) start.Environment.Remove(name);
        if (disabledSwitch is not null) start.Environment[disabledSwitch] = "0";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"probe with {disabledSwitch ?? "no switch"} exited {process.ExitCode}: {error.Result}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[0], lines.Skip(1).Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1]));
    }
}
