namespace Lifelong.Cli.Tests;

public class MetaCommandTests
{
    [Theory]
    [InlineData("'bogus' is not a valid value; expected one of maml, fomaml, meta-sgd, anil, reptile, proto-net, pretrain", "--method", "bogus")]
    [InlineData("unknown setting --epochs", "--epochs", "3")]
    [InlineData("--hidden 10,x: expected positive widths", "--hidden", "10,x")]
    [InlineData("--iterations = 0 is not valid; expected an integer ≥ 1", "--iterations", "0")]
    [InlineData("--ways needs a value", "--ways")]
    public void Bad_settings_exit_with_2_and_say_what_is_wrong(string message, params string[] flags)
    {
        var (code, _, error) = Cli.Run(["meta", "few-shot", .. flags]);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_short_protonet_run_on_mnist_prints_its_accuracy_as_json()
    {
        var (code, output, error) = Cli.Run("meta", "few-shot", "--method", "proto-net", "--dataset", "mnist", "--iterations", "20", "--test-episodes", "10", "--hidden", "32,16", "--json");
        Assert.True(code == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("proto_net", json.RootElement.GetProperty("method").GetString());
        Assert.InRange(json.RootElement.GetProperty("accuracy").GetDouble(), 0.0, 1.0);
        Assert.Equal(10, json.RootElement.GetProperty("episodes").GetInt32());
    }

    [Fact]
    public void Meta_training_that_diverges_exits_1_instead_of_reporting_an_accuracy()
    {
        // Adam at a step size of 1e30 sends the weights past float's range within a few iterations.
        var (code, output, error) = Cli.Run("meta", "few-shot", "--method", "proto-net", "--dataset", "mnist", "--iterations", "20", "--test-episodes", "10", "--hidden", "32,16", "--outer-lr", "1e30");
        Assert.Equal(1, code);
        Assert.Contains("lifelong meta: meta-training diverged: parameter '", error, StringComparison.Ordinal);
        Assert.DoesNotContain("accuracy", output, StringComparison.Ordinal);
    }
}
