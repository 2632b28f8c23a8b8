using System.Reflection;
using Lifelong.Catalog;
using Lifelong.Cli.Commands;

namespace Lifelong.Cli.Tests;

/// <summary>What a person at a terminal sees: suggestions for typos, the version, text that fits 80 columns, progress.</summary>
public class TerminalTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]   // the textbook example: two substitutions and an insertion
    [InlineData("ca", "ac", 1)]            // one transposition (plain Levenshtein says 2)
    [InlineData("", "abc", 3)]
    [InlineData("l2init", "l2init", 0)]
    public void Distance_counts_insertions_deletions_substitutions_and_transpositions(string a, string b, int expected) =>
        Assert.Equal(expected, Spelling.Distance(a, b));

    [Fact]
    public void A_typo_gets_the_closest_name_and_a_stranger_gets_none()
    {
        string[] methods = ["finetune", "l2", "l2init", "l2init-resample", "ewc", "ewc-online", "replay"];
        Assert.Equal(" Did you mean 'l2init'?", Spelling.Suggest("l2int", methods));
        Assert.Equal(" Did you mean 'replay'?", Spelling.Suggest("rpelay", methods));
        Assert.Equal(" Did you mean 'ewc-online'?", Spelling.Suggest("ewc_onlne", methods));
        Assert.Equal("", Spelling.Suggest("transformer", methods));
        Assert.Equal("", Spelling.Suggest("replay", methods));   // spelt right: the problem is elsewhere
        Assert.Equal("", Spelling.Suggest("", methods));
    }

    [Fact]
    public void Catalogs_and_option_binding_suggest_the_name_meant()
    {
        Assert.Contains("Did you mean 'l2init'?", Assert.Throws<ConfigurationException>(() => MethodCatalog.Get("l2int")).Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'permuted-mnist'?", Assert.Throws<ConfigurationException>(() => ScenarioCatalog.Get("permuted-mnst")).Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'sgd'?", Assert.Throws<ConfigurationException>(() => OptimizerCatalog.Get("sdg")).Message, StringComparison.Ordinal);
        var unknownOption = Assert.Throws<ConfigurationException>(() => MethodCatalog.Get("l2init").Create(ComponentSpec.Parse("l2init:lamda=0.1", "method")));
        Assert.Contains("unknown option 'lamda'. Did you mean 'lambda'?", unknownOption.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_commands_and_flags_get_a_suggestion()
    {
        var (code, _, error) = Cli.Run("run", "--taks", "3");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("unknown flag --taks. Did you mean '--tasks'?", error, StringComparison.Ordinal);
        (code, _, error) = Cli.RunProcess("rnu");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("unknown command 'rnu'. Did you mean 'run'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_informational_version_both_ways()
    {
        string expected = typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var (code, output, _) = Cli.Run("version");
        Assert.Equal(0, code);
        Assert.Equal($"lifelong {expected}", output.Trim());
        var flag = Cli.RunProcess("--version");
        Assert.Equal(0, flag.Code);
        Assert.Equal(output, flag.Output);
    }

    [Fact]
    public void Methods_fits_80_columns_and_still_names_every_component()
    {
        var (code, output, _) = Cli.Run("methods");
        Assert.Equal(0, code);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        foreach (var method in MethodCatalog.All) Assert.Contains($"  {method.Name}  — ", output, StringComparison.Ordinal);
        foreach (var scenario in ScenarioCatalog.All) Assert.Contains($"  {scenario.Name}  — ", output, StringComparison.Ordinal);
        // Every option's description survives the wrapping: its words appear in order.
        var option = MethodCatalog.Get("cbp").Options[0];
        string flattened = string.Join(' ', output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(string.Join(' ', option.Description.Split(' ', StringSplitOptions.RemoveEmptyEntries)), flattened, StringComparison.Ordinal);
    }

    [Fact]
    public void Methods_with_a_name_describes_any_component()
    {
        var (code, output, _) = Cli.Run("methods", "cnn");
        Assert.Equal(0, code);
        Assert.Contains("model cnn", output, StringComparison.Ordinal);
        Assert.Contains("kernel-size", output, StringComparison.Ordinal);
        (code, _, string error) = Cli.Run("methods", "l2int");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("Did you mean 'l2init'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrapped_text_keeps_every_word_and_breaks_long_lists_at_separators()
    {
        string text = "one two three " + string.Join('|', Enumerable.Range(0, 40).Select(i => $"v{i}")) + " end";
        var lines = TextWrap.Lines("  name  — ", text, 6, 40).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 40, l));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("      ", l, StringComparison.Ordinal));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), string.Concat(lines).Replace(" ", "", StringComparison.Ordinal).Replace("name—", "", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith('|'));
    }

    [Fact]
    public void Phase_progress_prints_ten_lines_per_phase_when_redirected_and_redraws_within_the_width_on_a_terminal()
    {
        var plain = new StringWriter();
        var progress = new PhaseProgress(plain, terminal: false);
        for (int s = 1; s <= 250; s++) progress.Report("seed 0: teacher", s, 250);
        var lines = plain.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines.Length);
        Assert.StartsWith("seed 0: teacher: 250/250  in ", lines[^1], StringComparison.Ordinal);

        var terminal = new StringWriter();
        progress = new PhaseProgress(terminal, terminal: true, width: 30);
        for (int s = 1; s <= 250; s++) progress.Report("seed 0: a rather long phase name", s, 250, "loss 0.1234");
        string text = terminal.ToString();
        Assert.Equal(1, text.Count(c => c == '\n'));   // only when the phase ends
        Assert.All(text.Split('\r', StringSplitOptions.RemoveEmptyEntries), r => Assert.True(r.Replace("\u001b[K", "", StringComparison.Ordinal).TrimEnd('\n').Length < 30, r));
    }

    [Fact]
    public void Distill_reports_progress_while_the_teacher_trains()
    {
        using var folder = new Cli.TempFolder();
        var (code, _, error) = Cli.Run("distill", "--teacher", "16", "--student", "8", "--teacher-steps", "20", "--student-steps", "10", "--seeds", "1", "--out", folder.Sub("distill"));
        Assert.True(code == 0, error);
        Assert.Contains("seed 0: teacher: 10/20", error, StringComparison.Ordinal);
        Assert.Contains("seed 0: teacher: 20/20  in ", error, StringComparison.Ordinal);
        Assert.Contains("seed 0: student distilled: 10/10  in ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Distill_that_diverges_exits_1_naming_the_step_instead_of_reporting_accuracies()
    {
        // Adam at a step size of 1e30 sends the weights, then the logits, past float's range within a few steps.
        using var folder = new Cli.TempFolder();
        var (code, output, error) = Cli.Run("distill", "--teacher", "16", "--student", "8", "--teacher-steps", "20", "--student-steps", "10", "--seeds", "1", "--lr", "1e30", "--out", folder.Sub("distill"));
        Assert.Equal(1, code);
        Assert.Contains("lifelong distill: training the teacher diverged at step ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("test accuracy", output, StringComparison.Ordinal);
    }
}
