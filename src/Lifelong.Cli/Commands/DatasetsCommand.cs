using Lifelong.Catalog;
using Lifelong.Data;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong datasets list</c> and <c>lifelong datasets fetch NAME</c>: what data is known, present, and where.</summary>
public sealed class DatasetsCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "datasets";

    /// <inheritdoc/>
    public string Summary => "list known datasets, or fetch one into the cache (datasets list | datasets fetch NAME [--force])";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Count == 0 ? error : output).WriteLine("usage: lifelong datasets list\n       lifelong datasets fetch NAME [--force]\n\nThe cache folder is $LIFELONG_DATA, or lifelong/ under the user cache folder.");
            return args.Count == 0 ? ExitCode.Usage : ExitCode.Ok;
        }
        var store = new DatasetStore { Log = line => output.WriteLine(line) };
        try
        {
            return args[0] switch
            {
                "list" when args.Count == 1 => List(store, output),
                "fetch" => Fetch(store, args, output, error),
                _ => Usage(error, $"unknown or malformed subcommand '{string.Join(' ', args)}'"),
            };
        }
        catch (DatasetException e)
        {
            error.WriteLine($"lifelong datasets: {ConfigurationException.Plain(e)}");
            return ExitCode.Failure;
        }
    }

    private static int List(DatasetStore store, TextWriter output)
    {
        output.WriteLine($"cache: {store.Root}");
        foreach (var info in DatasetStore.Known)
        {
            string status = store.IsFetched(info.Name) ? "fetched" : store.IsPresent(info.Name) ? "present" : info.Fetchable ? "not fetched" : "absent";
            output.WriteLine($"  {info.Name,-14} {status,-12} {info.Description}");
            output.WriteLine($"  {"",-14} {"",-12} source: {info.Source}");
        }
        return ExitCode.Ok;
    }

    private static int Fetch(DatasetStore store, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var names = args.Skip(1).Where(a => a != "--force").ToList();
        bool force = args.Contains("--force");
        if (names.Count != 1) return Usage(error, "fetch takes exactly one dataset name");
        var info = DatasetStore.Known.FirstOrDefault(d => d.Name == names[0]);
        if (info is null)
            return Usage(error, $"unknown dataset '{names[0]}'; valid names: {string.Join(", ", DatasetStore.Known.Select(d => d.Name))}");
        if (!info.Fetchable)
        {
            error.WriteLine($"lifelong datasets: {info.Name} cannot be downloaded ({info.Source}). Put {string.Join(", ", info.Files)} in {store.DirectoryOf(info.Name)}; see docs/datasets.md.");
            return ExitCode.Failure;
        }
        store.Fetch(info.Name, force);
        var split = store.Load(info.Name);
        output.WriteLine($"{info.Name}: {split.Train.Count} train + {split.Test.Count} test images of {split.Shape}, {split.ClassCount} classes");
        return ExitCode.Ok;
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"lifelong datasets: {problem}.\nusage: lifelong datasets list | lifelong datasets fetch NAME [--force]");
        return ExitCode.Usage;
    }
}
