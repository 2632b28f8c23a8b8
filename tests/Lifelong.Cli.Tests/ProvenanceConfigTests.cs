using Lifelong.Data;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Cli.Tests;

public class ProvenanceConfigTests
{
    [Fact]
    public void A_runs_config_json_with_its_provenance_reads_as_a_config_file_of_the_same_settings()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        var config = new RunConfig { Scenario = "permuted-mnist:tasks=2", Methods = ["l2init:lambda=0.01"], Seed = 3, Out = "runs/a" };
        var provenance = RunProvenance.Capture([new DatasetChecksums("mnist", new Dictionary<string, string> { ["f"] = "00" }, Verified: true)]);
        string path = folder.Sub("config.json");
        File.WriteAllText(path, config.ToJson(provenance));

        var settings = ConfigFile.Read(path);

        Assert.DoesNotContain(settings, s => s.Key == "provenance");
        Assert.Equal(config.ToJson(), new RunConfig().With(settings).ToJson());
    }
}
