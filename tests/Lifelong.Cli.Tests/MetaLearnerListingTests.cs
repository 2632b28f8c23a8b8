using Lifelong.Catalog;

namespace Lifelong.Cli.Tests;

public class MetaLearnerListingTests
{
    [Fact]
    public void Methods_lists_every_meta_learner_that_meta_few_shot_accepts_within_80_columns()
    {
        var (code, output, _) = Cli.Run("methods");
        Assert.Equal(0, code);
        Assert.All(output.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, line));
        string section = output[output.IndexOf("META-LEARNERS", StringComparison.Ordinal)..];
        // The names come from meta's own usage line, not from the catalog under test.
        var (_, help, _) = Cli.Run("meta", "--help");
        string methodLine = help.Split('\n').First(l => l.TrimStart().StartsWith("--method", StringComparison.Ordinal));
        string[] accepted = methodLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Split('|');
        Assert.Equal(7, accepted.Length);
        Assert.Equal(accepted, MetaLearnerCatalog.All.Select(m => m.Name));
        foreach (string name in accepted) Assert.Contains($"  {name}  — ", section, StringComparison.Ordinal);
        Assert.Contains("Nichol", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_meta_learner_option_is_a_setting_of_meta_few_shot_with_its_range()
    {
        var (_, help, _) = Cli.Run("meta", "--help");
        foreach (var learner in MetaLearnerCatalog.All)
        {
            Assert.NotEmpty(learner.Summary);
            foreach (var option in learner.Options) Assert.Contains($"--{option.Name} ", help + " ", StringComparison.Ordinal);
        }
        var reptile = MetaLearnerCatalog.Find("reptile")!;
        Assert.DoesNotContain(reptile.Options, o => o.Name == "outer-lr");
        Assert.DoesNotContain(MetaLearnerCatalog.Find("proto-net")!.Options, o => o.Name == "inner-steps");
        Assert.Equal("int ≥ 1", MetaLearnerCatalog.Find("maml")!.Options.Single(o => o.Name == "iterations").ValidValues);
    }

    [Fact]
    public void Methods_with_a_meta_learner_name_describes_it()
    {
        var (code, output, _) = Cli.Run("methods", "maml");
        Assert.Equal(0, code);
        Assert.Contains("meta-learner maml  — MAML with the exact second-order meta-gradient", output, StringComparison.Ordinal);
        Assert.Contains("Finn", output, StringComparison.Ordinal);
        Assert.Contains("inner-lr", output, StringComparison.Ordinal);
        Assert.Contains("default 0.4", output, StringComparison.Ordinal);
        (code, _, string error) = Cli.Run("methods", "reptle");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("Did you mean 'reptile'?", error, StringComparison.Ordinal);
    }
}
