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
            (args.Count == 0 ? error : output).WriteLine("usage: lifelong datasets list [--data DIR]\n       lifelong datasets fetch NAME [--force] [--data DIR]\n\nThe cache folder is --data, else $LIFELONG_DATA, else lifelong/ under the user cache folder. list verifies the checksums of fetched sets.");
            return args.Count == 0 ? ExitCode.Usage : ExitCode.Ok;
        }
        int data = args.ToList().IndexOf("--data");
        if (data >= 0 && data + 1 >= args.Count) return Usage(error, "--data needs a folder");
        var store = new DatasetStore(data >= 0 ? args[data + 1] : null) { Log = line => output.WriteLine(line) };
        if (data >= 0) args = [.. args.Take(data), .. args.Skip(data + 2)];
        try
        {
            return args[0] switch
            {
                "list" when args.Count == 1 => List(store, output),
                "fetch" => Fetch(store, args, output, error),
                _ => Usage(error, $"unknown or malformed subcommand '{string.Join(' ', args)}'.{Lifelong.Catalog.Spelling.Suggest(args[0], ["list", "fetch"])}"),
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
            string? problem = store.IsFetched(info.Name) ? Problem(store, info.Name) : null;
            string status = problem is not null ? "corrupt" : store.IsFetched(info.Name) ? "fetched" : store.IsPresent(info.Name) ? "present" : info.Fetchable ? "not fetched" : "absent";
            int width = TextWrap.WidthOf(output);
            TextWrap.Write(output, $"  {info.Name,-14} {status,-12} ", info.Description, 30, width);
            if (problem is not null) TextWrap.Write(output, new string(' ', 30), $"{problem} Run: lifelong datasets fetch {info.Name} --force", 30, width);
            TextWrap.Write(output, new string(' ', 30), $"source: {info.Source}", 30, width);
        }
        return ExitCode.Ok;
    }

    /// <summary>Why a fetched dataset fails its checksums (first sentence of the error), or null when it is intact.</summary>
    private static string? Problem(DatasetStore store, string name)
    {
        try
        {
            store.Verify(name);
            return null;
        }
        catch (DatasetException e)
        {
            int end = e.Message.IndexOf("; the file", StringComparison.Ordinal) is > 0 and var i ? i : e.Message.IndexOf(". ", StringComparison.Ordinal) + 1;
            return (end > 0 ? e.Message[..end] : e.Message).TrimEnd('.') + ".";
        }
    }

    private static int Fetch(DatasetStore store, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var names = args.Skip(1).Where(a => a != "--force").ToList();
        bool force = args.Contains("--force");
        if (names.Count != 1) return Usage(error, "fetch takes exactly one dataset name");
        var info = DatasetStore.Known.FirstOrDefault(d => d.Name == names[0]);
        if (info is null)
            return Usage(error, $"unknown dataset '{names[0]}'.{Lifelong.Catalog.Spelling.Suggest(names[0], DatasetStore.Known.Select(d => d.Name))} Valid names: {string.Join(", ", DatasetStore.Known.Select(d => d.Name))}");
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
