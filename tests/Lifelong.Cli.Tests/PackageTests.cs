using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Lifelong.Data;
using Lifelong.Results;
using Lifelong.Tensors;

namespace Lifelong.Cli.Tests;

/// <summary>What a user gets from <c>dotnet pack</c>: the tool installs and runs, and the library packages build an app.</summary>
/// <remarks>Both tests use one pack (<see cref="PackedFeed"/>), made with <c>--no-build</c> from the assemblies this test
/// run built, into a temporary feed; restores go to a temporary package folder, so a stale package of the same version in
/// the machine's cache can never stand in for the one just packed.</remarks>
public sealed class PackageTests(PackageTests.PackedFeed feed) : IClassFixture<PackageTests.PackedFeed>
{
    [Fact]
    public void The_packed_tool_installs_and_runs_version_methods_and_a_run()
    {
        string tools = feed.Sub("tools");
        feed.Dotnet(feed.Root, "tool", "install", "--tool-path", tools, "--add-source", feed.Feed, "Lifelong.Cli", "--version", feed.Version);
        string lifelong = Path.Combine(tools, OperatingSystem.IsWindows() ? "lifelong.exe" : "lifelong");
        Assert.True(File.Exists(lifelong), $"dotnet tool install made no '{lifelong}'");

        var version = feed.Run(lifelong, feed.Root, "--version");
        // `--version` arrives with the terminal work; until then the dispatcher rejects it as an unknown command.
        bool versionAbsent = version.Code == ExitCode.Usage && version.Error.Contains("unknown command '--version'", StringComparison.Ordinal);
        if (!versionAbsent)
        {
            Assert.Equal(ExitCode.Ok, version.Code);
            Assert.Contains(feed.Version, version.Output, StringComparison.Ordinal);
        }

        var methods = feed.Run(lifelong, feed.Root, "methods");
        Assert.Equal(ExitCode.Ok, methods.Code);
        foreach (string name in new[] { "finetune", "l2init", "ewc", "replay", "permuted-mnist" }) Assert.Contains(name, methods.Output, StringComparison.Ordinal);

        string run = feed.Sub("run");
        var result = feed.Run(lifelong, feed.Root, "run", "--scenario", "permuted-mnist:train-per-task=200,test-size=100", "--tasks", "2", "--steps", "10",
            "--model", "mlp:16", "--probe-size", "50", "--out", run);
        Assert.True(result.Code == ExitCode.Ok, $"lifelong run exited {result.Code}:\n{result.Output}\n{result.Error}");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "result.json")))!.AsObject();
        Assert.Equal(2, json["accuracy_matrix"]!.AsArray().Count);

        // The installed tool has no .git beside it: the commit in its provenance was stamped in at build time, and it is the
        // commit this test assembly was built from.
        var provenance = json["provenance"]!.AsObject();
        var (ourVersion, ourCommit, ourDirty) = RunProvenance.CodeVersion();
        Assert.Equal(feed.Version, ourVersion);
        Assert.Equal(ourVersion, (string?)provenance["version"]);
        Assert.Equal(ourCommit, (string?)provenance["commit"]);
        Assert.Equal(ourDirty, (bool?)provenance["dirty"]);
        Assert.Equal(EngineInfo.InstructionSet, (string?)provenance["instruction_set"]);

        // The dataset checksums are those of the files on disk, hashed here without the library.
        var mnist = provenance["datasets"]!.AsArray().Single()!.AsObject();
        Assert.Equal("mnist", (string?)mnist["name"]);
        string folder = new DatasetStore().DirectoryOf("mnist");
        var recorded = mnist["sha256"]!.AsObject();
        Assert.NotEmpty(recorded);
        foreach (var (file, sha) in recorded)
        {
            using var stream = File.OpenRead(Path.Combine(folder, file));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream)), (string?)sha);
        }

        // config.json carries the same provenance beside the settings, and the run resumes from it as written.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!.AsObject();
        Assert.Equal(ourCommit, (string?)config["provenance"]!["commit"]);
        var resumed = feed.Run(lifelong, feed.Root, "run", "--resume", run);
        Assert.True(resumed.Code == ExitCode.Ok, $"lifelong run --resume exited {resumed.Code}:\n{resumed.Output}\n{resumed.Error}");
        Assert.Contains("already complete", resumed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_console_project_builds_and_runs_against_the_library_packages()
    {
        string app = feed.Sub("app");
        feed.Dotnet(feed.Root, "new", "console", "--output", app, "--name", "LifelongApp", "--no-restore");
        string project = Path.Combine(app, "LifelongApp.csproj");
        string text = File.ReadAllText(project);
        Assert.Contains("</Project>", text, StringComparison.Ordinal);
        File.WriteAllText(project, text.Replace("</Project>", $"""
              <ItemGroup>
                <PackageReference Include="Lifelong" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Lifelong.Evaluation;
            using Lifelong.NN;
            using Lifelong.Tensors;

            var x = Tensor.FromArray([1f, -2f, 3f], 3);
            x.RequiresGrad = true;
            x.Square().Sum().Backward();
            Console.WriteLine("grad " + string.Join(' ', x.Grad!.ToArray()));
            var mlp = new Mlp([4, 8, 3], new Rng(0));
            Console.WriteLine("mlp " + mlp.Forward(Tensor.Zeros(5, 4)).Shape);
            double?[][] r = [[0.9, 0.1], [0.7, 0.8]];
            Console.WriteLine("bwt " + ContinualMetrics.Bwt(r).ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
            Console.WriteLine("engine " + EngineInfo.InstructionSet);
            """);

        var output = feed.Dotnet(app, "run", "--project", project);

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("grad 2 -4 6", lines);                         // d/dx Σ x² = 2x at (1, −2, 3)
        Assert.Contains($"mlp {Tensor.Zeros(5, 3).Shape}", lines);      // (5, 4) → 4·8·3 MLP → (5, 3)
        Assert.Contains("bwt -0.2000", lines);                           // BWT = R[1][0] − R[0][0] = 0.7 − 0.9
        Assert.Contains($"engine {EngineInfo.InstructionSet}", lines);
    }

    /// <summary>The five packages (the tool depends on Lifelong.Rl), packed once into a temporary feed, with a nuget.config and a package folder of its own.</summary>
    public sealed class PackedFeed : IDisposable
    {
        private static readonly string[] s_packages = ["Lifelong.Tensors", "Lifelong.NN", "Lifelong", "Lifelong.Rl", "Lifelong.Cli"];

        public PackedFeed()
        {
            Directory.CreateDirectory(Root);
            string repository = RepositoryRoot();
            string configuration = typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            // One `dotnet pack` for all five projects: a solution file of just them (each extra invocation costs a few seconds).
            string solution = Sub("pack.slnx");
            File.WriteAllText(solution, "<Solution>\n" + string.Concat(s_packages.Select(p =>
                $"  <Project Path=\"{Path.Combine(repository, "src", p, p + ".csproj")}\" />\n")) + "</Solution>\n");
            Dotnet(Root, "pack", solution, "-c", configuration, "--no-build", "-o", Feed);

            var tool = Directory.GetFiles(Feed, "Lifelong.Cli.*.nupkg").Single();
            Version = Path.GetFileNameWithoutExtension(tool)["Lifelong.Cli.".Length..];
            foreach (string package in s_packages)
                foreach (string extension in new[] { "nupkg", "snupkg" })
                    Assert.True(File.Exists(Path.Combine(Feed, $"{package}.{Version}.{extension}")), $"dotnet pack made no {package}.{Version}.{extension}");

            // Sources: the feed, the machine's own package folder (what this build restored, so no download), and whatever
            // the machine's NuGet configuration adds (nuget.org or its mirror) for anything else.
            string machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="lifelong-feed" value="{Feed}" />
                    <add key="machine-packages" value="{machinePackages}" />
                  </packageSources>
                </configuration>
                """);
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), "lifelong-pack-" + Guid.NewGuid().ToString("N"));

        public string Feed => Sub("feed");

        /// <summary>The packages' version, as <c>dotnet pack</c> derived it from git.</summary>
        public string Version { get; }

        public string Sub(string name) => Path.Combine(Root, name);

        /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/>; fails the test with its output unless it exits 0.</summary>
        public string Dotnet(string directory, params string[] args)
        {
            var (code, output, error) = Run(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", directory, args);
            Assert.True(code == 0, $"dotnet {string.Join(' ', args)} exited {code}:\n{output}\n{error}");
            return output;
        }

        /// <summary>Runs a program with this feed's package folder, and returns its exit code and output.</summary>
        public (int Code, string Output, string Error) Run(string program, string directory, params string[] args)
        {
            var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in args) start.ArgumentList.Add(arg);
            start.Environment["NUGET_PACKAGES"] = Sub("packages");
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            // No MSBuild worker node may outlive the test.
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            // The tool's launcher finds the runtime through DOTNET_ROOT when dotnet is not in a default location.
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && Path.GetDirectoryName(host) is { } root)
                start.Environment["DOTNET_ROOT"] = root;
            // A test's `dotnet test` sets MSBuild variables that would leak into a nested build of another project.
            foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
                start.Environment.Remove(variable);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { }
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Lifelong.slnx"))) return directory.FullName;
            throw new InvalidOperationException($"No Lifelong.slnx above {AppContext.BaseDirectory}; the package tests run from the repository's build output.");
        }
    }
}
