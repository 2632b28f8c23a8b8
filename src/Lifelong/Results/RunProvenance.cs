using System.Reflection;
using System.Runtime.InteropServices;
using Lifelong.Data;

namespace Lifelong.Results;

/// <summary>Where a run's numbers came from: the code, the runtime, the machine, the engine's path, the data.</summary>
/// <remarks>
/// Written as the <c>provenance</c> object of <c>config.json</c> (when the run started) and <c>result.json</c> (when it
/// finished; a resumed run may have started elsewhere). It describes a run and never defines one: resuming, grouping
/// runs in a report and comparing configs all leave it out. The commit is stamped into the assemblies at build time
/// (Directory.Build.targets), so an installed tool, which has no <c>.git</c>, still knows it.
/// </remarks>
/// <param name="Version">Lifelong's version (<c>0.1.0-dev</c>, or the release from the nearest <c>v*</c> tag).</param>
/// <param name="Commit">The git commit the code was built from; null when it was built without git.</param>
/// <param name="Dirty">True when the working tree differed from <paramref name="Commit"/> at build time (edited, added or
/// deleted files); null when unknown.</param>
/// <param name="Runtime">The .NET runtime (<c>.NET 10.0.0</c>).</param>
/// <param name="Os">The operating system, as the runtime describes it.</param>
/// <param name="Architecture">The process architecture (<c>x64</c>, <c>arm64</c>).</param>
/// <param name="Cpu">The CPU model (<see cref="EngineInfo.CpuModel"/>).</param>
/// <param name="LogicalCores">Logical processors available to the process.</param>
/// <param name="InstructionSet">The engine's vector path (<see cref="EngineInfo.InstructionSet"/>).</param>
/// <param name="Threads">The most threads a kernel call uses (<see cref="EngineInfo.Threads"/>).</param>
/// <param name="Datasets">The datasets the run loaded, with the SHA-256 of their files.</param>
public sealed record RunProvenance(
    string Version,
    string? Commit,
    bool? Dirty,
    string Runtime,
    string Os,
    string Architecture,
    string Cpu,
    int LogicalCores,
    string InstructionSet,
    int Threads,
    IReadOnlyList<DatasetChecksums> Datasets)
{
    /// <summary>The provenance of this process, with the datasets it loaded.</summary>
    public static RunProvenance Capture(IEnumerable<DatasetChecksums> datasets)
    {
        var (version, commit, dirty) = CodeVersion();
        return new RunProvenance(version, commit, dirty, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription,
            RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), EngineInfo.CpuModel, Environment.ProcessorCount,
            EngineInfo.InstructionSet, EngineInfo.Threads, [.. datasets.DistinctBy(d => d.Name)]);
    }

    /// <summary>The code version in one token: <c>&lt;commit&gt;</c>, with <c>+dirty</c> when the tree was, or the version
    /// when the commit is unknown.</summary>
    public string CodeLabel => Commit is null ? Version : Commit[..Math.Min(12, Commit.Length)] + (Dirty == true ? "+dirty" : "");

    /// <summary>Lifelong's version, commit and dirty flag, as stamped into this assembly at build time.</summary>
    public static (string Version, string? Commit, bool? Dirty) CodeVersion()
    {
        var assembly = typeof(RunProvenance).Assembly;
        string informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        string version = informational.Split('+')[0];
        var metadata = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        string? commit = metadata.GetValueOrDefault("LifelongCommit") is { Length: > 0 } c ? c : null;
        bool? dirty = commit is not null && metadata.GetValueOrDefault("LifelongTreeDirty") is { } d ? d == "true" : null;
        return (version, commit, dirty);
    }
}
