using System.Text.Json.Nodes;

namespace Lifelong.Cli.Tests;

public class PretrainCommandTests
{
    [Fact]
    public void Pretrain_saves_a_checkpoint_that_a_run_starts_from()
    {
        using var folder = new Cli.TempFolder();
        string checkpoint = folder.Sub("mlp-mnist-56789.safetensors");
        var (code, output, error) = Cli.Run("pretrain", "--dataset", "mnist", "--classes", "5,6,7,8,9", "--model", "mlp:32", "--steps", "200", "--out", checkpoint);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(checkpoint));
        Assert.Contains($"--model mlp:32,checkpoint={checkpoint}", output);
        var metadata = NN.SafeTensors.Load(checkpoint).Metadata;
        Assert.Equal("5,6,7,8,9", metadata["lifelong.classes"]);
        Assert.True(double.Parse(metadata["lifelong.test_accuracy"], System.Globalization.CultureInfo.InvariantCulture) > 0.8, metadata["lifelong.test_accuracy"]);

        string run = folder.Sub("run");
        (code, output, error) = Cli.Run("run", "--scenario", "split-mnist:flavour=class-incremental,train-per-class=200", "--steps", "10", "--batch-size", "20",
            "--model", $"mlp:32,checkpoint={checkpoint}", "--method", "simplecil", "--eval-subset", "200", "--out", run);
        Assert.True(code == 0, error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!;
        Assert.EndsWith($",checkpoint={checkpoint}", config["model"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_from_a_checkpoint_of_another_architecture_is_refused_with_the_mismatch()
    {
        using var folder = new Cli.TempFolder();
        string checkpoint = folder.Sub("mlp.safetensors");
        Assert.Equal(0, Cli.Run("pretrain", "--dataset", "mnist", "--model", "mlp:32", "--steps", "1", "--out", checkpoint).Code);
        var (code, _, error) = Cli.Run("run", "--scenario", "split-mnist", "--steps", "1", "--model", $"mlp:64,checkpoint={checkpoint}", "--method", "simplecil", "--out", folder.Sub("run"));
        Assert.Equal(2, code);
        Assert.Contains("'fc1.weight' is (32, 784) in the file, (64, 784) in the model", error);
    }

    [Fact]
    public void Pretrain_rejects_an_unknown_flag()
    {
        var (code, _, error) = Cli.Run("pretrain", "--epochs", "3");
        Assert.Equal(2, code);
        Assert.Contains("unknown setting --epochs", error);
    }
}
