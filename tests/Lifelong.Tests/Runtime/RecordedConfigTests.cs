using Lifelong.Runs;

namespace Lifelong.Tests.Runtime;

public class RecordedConfigTests
{
    [Fact]
    public void Identical_settings_have_the_same_hash_and_no_changes()
    {
        var config = new RunConfig { Seed = 5, Methods = ["l2init:lambda=0.01", "replay:capacity=100"] };
        Assert.Equal(RecordedConfig.Hash(config), RecordedConfig.Hash(config with { }));
        Assert.Empty(RecordedConfig.Changes(RecordedConfig.Canonical(config), config));
        Assert.Matches("^[0-9a-f]{64}$", RecordedConfig.Hash(config));
    }

    [Fact]
    public void Out_and_checkpoint_every_are_free_and_change_neither_the_hash_nor_the_comparison()
    {
        var config = new RunConfig { Out = "runs/a", CheckpointEvery = 0 };
        var moved = config with { Out = "elsewhere/b", CheckpointEvery = 100 };
        Assert.Equal(RecordedConfig.Hash(config), RecordedConfig.Hash(moved));
        Assert.Empty(RecordedConfig.Changes(RecordedConfig.Canonical(config), moved));
    }

    [Fact]
    public void Each_change_is_listed_down_to_a_components_option()
    {
        var config = new RunConfig { Methods = ["l2init:lambda=0.01", "replay:capacity=100"], Optimizer = "adam:lr=0.001,beta1=0.9", Model = "mlp:hidden=100x100", EvalSubset = 500 };
        var edited = config with
        {
            Methods = ["l2init:lambda=0.1", "replay:capacity=100"],
            Optimizer = "adam:lr=0.001,beta1=0.8,eps=1e-06",
            Model = "cnn",
            EvalSubset = null,
            Auroc = true,
        };
        Assert.Equal(
            ["model: mlp:hidden=100x100 → cnn", "method l2init lambda: 0.01 → 0.1", "optimizer adam beta1: 0.9 → 0.8", "optimizer adam eps: (absent) → 1e-06", "eval_subset: 500 → (absent)", "auroc: false → true"],
            RecordedConfig.Changes(RecordedConfig.Canonical(config), edited));
        Assert.NotEqual(RecordedConfig.Hash(config), RecordedConfig.Hash(edited));
    }

    [Fact]
    public void A_setting_missing_from_an_older_record_counts_as_its_default()
    {
        var recorded = System.Text.Json.Nodes.JsonNode.Parse(RecordedConfig.Canonical(new RunConfig()))!.AsObject();
        recorded.Remove("auroc");   // as if written before the setting existed
        Assert.Empty(RecordedConfig.Changes(recorded.ToJsonString(), new RunConfig()));
        Assert.Equal(["auroc: false → true"], RecordedConfig.Changes(recorded.ToJsonString(), new RunConfig { Auroc = true }));
    }
}
