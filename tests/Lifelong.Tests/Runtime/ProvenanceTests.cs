using System.Diagnostics;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Reports;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Tests.Reports;

namespace Lifelong.Tests.Runtime;

public class ProvenanceTests
{
    private static RunProvenance Provenance(string commit = "0123456789abcdef0123456789abcdef01234567", bool dirty = false, string cpu = "Test CPU 9000", string isa = "avx2") =>
        new("0.1.0-dev", commit, dirty, ".NET 10.0.0", "Linux", "x64", cpu, 2, isa, 2,
            [new DatasetChecksums("mnist", new Dictionary<string, string> { ["t10k-labels-idx1-ubyte"] = "ff7b" }, Verified: true)]);

    [Fact]
    public void Config_json_carries_provenance_beside_the_settings_and_reads_back_as_the_same_config()
    {
        var config = new RunConfig { Scenario = "permuted-mnist:tasks=3", Methods = ["ewc:lambda=10"], Seed = 4, Out = "runs/x" };

        string text = config.ToJson(Provenance());

        var json = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", (string?)json["provenance"]!["commit"]);
        Assert.Equal("ff7b", (string?)json["provenance"]!["datasets"]![0]!["sha256"]!["t10k-labels-idx1-ubyte"]);
        Assert.DoesNotContain("provenance", RunConfig.Keys);
        Assert.Equal(config.ToJson(), RunConfig.FromJson(text, "config.json").ToJson());
        // Two machines' config.json files of one run define the same run.
        Assert.Equal(RunConfig.FromJson(text, "a").ToJson(), RunConfig.FromJson(config.ToJson(Provenance(commit: "f00d", cpu: "Other")), "b").ToJson());
    }

    [Fact]
    public void A_config_with_an_unknown_key_is_still_refused()
    {
        var e = Assert.Throws<ConfigurationException>(() => RunConfig.FromJson("""{ "scenario": "permuted-mnist", "provenanc": {} }""", "config.json"));
        Assert.Contains("provenanc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stamped_commit_is_the_repository_head_it_was_built_from()
    {
        var (version, commit, dirty) = RunProvenance.CodeVersion();
        string? head = Git("rev-parse HEAD");
        Assert.False(string.IsNullOrWhiteSpace(version));
        if (head is null)
        {
            // Built where git could not tell the commit (a source archive): nothing is made up.
            Assert.Null(commit);
            Assert.Null(dirty);
            return;
        }
        Assert.Equal(head, commit);
        Assert.NotNull(dirty);
    }

    [Fact]
    public void Runs_that_differ_only_in_provenance_form_one_group()
    {
        using var folder = new TestData.TempFolder();
        var a = ReportRuns.WriteRun(folder.Path, "a", ReportRuns.Result("s", ["ewc"], 1) with { Provenance = Provenance() },
            extraConfig: """, "provenance": { "commit": "aaaa", "cpu": "one" }""");
        var b = ReportRuns.WriteRun(folder.Path, "b", ReportRuns.Result("s", ["ewc"], 2) with { Provenance = Provenance(commit: "bbbb") },
            extraConfig: """, "provenance": { "commit": "bbbb", "cpu": "two" }""");

        Assert.Single(RunGroup.Form(ReportRuns.Load(a, b)));
    }

    [Fact]
    public void The_report_warns_when_runs_come_from_different_commits_or_cpus_and_not_otherwise()
    {
        using var folder = new TestData.TempFolder();
        string Run(string name, ulong seed, RunProvenance? provenance) =>
            ReportRuns.WriteRun(folder.Path, name, ReportRuns.Result("s", ["ewc"], seed) with { Provenance = provenance });
        string same1 = Run("same1", 1, Provenance()), same2 = Run("same2", 2, Provenance());
        string otherCommit = Run("commit", 3, Provenance(commit: "fedcba9876543210fedcba9876543210fedcba98"));
        string otherCpu = Run("cpu", 4, Provenance(cpu: "Test CPU 1", isa: "avx512"));
        string dirty = Run("dirty", 5, Provenance(dirty: true));
        string none = Run("none", 6, null);

        Assert.Empty(ProvenanceReport.Warnings(ReportRuns.Load(same1, same2)));
        var commits = ProvenanceReport.Warnings(ReportRuns.Load(same1, same2, otherCommit));
        Assert.Contains(commits, w => w.Contains("2 code versions", StringComparison.Ordinal) && w.Contains("0123456789ab: 2 runs", StringComparison.Ordinal)
            && w.Contains("fedcba987654: 1 run", StringComparison.Ordinal));
        Assert.DoesNotContain(commits, w => w.Contains("CPU", StringComparison.Ordinal));
        var cpus = Assert.Single(ProvenanceReport.Warnings(ReportRuns.Load(same1, otherCpu)));
        Assert.Contains("2 CPUs", cpus, StringComparison.Ordinal);
        Assert.Contains("Test CPU 1 [avx512, 2 threads]", cpus, StringComparison.Ordinal);
        Assert.Contains(ProvenanceReport.Warnings(ReportRuns.Load(same1, dirty)), w => w.Contains("uncommitted changes", StringComparison.Ordinal));
        Assert.Contains(ProvenanceReport.Warnings(ReportRuns.Load(same1, none)), w => w.Contains("1 of 2 runs record no provenance", StringComparison.Ordinal));

        string html = HtmlReport.Write(ReportRuns.Load(same1, otherCommit));
        Assert.Contains("2 code versions", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Provenance</h2>", html, StringComparison.Ordinal);
        Assert.Contains("fedcba9876543210fedcba9876543210fedcba98", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_store_records_the_sha256_of_the_user_files_it_loaded()
    {
        using var temp = new TestData.TempFolder();
        string folder = Path.Combine(temp.Path, "kmnist");
        Directory.CreateDirectory(folder);
        IdxFile.Write(Path.Combine(folder, "train-images-idx3-ubyte"), [1, 28, 28], new byte[784]);
        IdxFile.Write(Path.Combine(folder, "train-labels-idx1-ubyte"), [1], [3]);
        IdxFile.Write(Path.Combine(folder, "t10k-images-idx3-ubyte"), [1, 28, 28], new byte[784]);
        IdxFile.Write(Path.Combine(folder, "t10k-labels-idx1-ubyte"), [1], [4]);
        var store = new DatasetStore(temp.Path);

        store.Load("kmnist");

        var loaded = Assert.Single(store.Loaded);
        Assert.Equal("kmnist", loaded.Name);
        Assert.False(loaded.Verified);
        Assert.Equal(["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"], loaded.Sha256.Keys);
        foreach (var (file, sha) in loaded.Sha256)
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, file)))), sha);
    }

    private static string? Git(string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
