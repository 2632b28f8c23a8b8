using System.Globalization;
using Lifelong.Catalog;

namespace Lifelong.Runs;

/// <summary>A lower bound on the memory a run needs, computed from its config before anything is allocated, so a network or a
/// stream that cannot fit is refused with a figure instead of growing until the machine swaps or the process dies.</summary>
/// <remarks>
/// The bound counts what every run holds at once: each parameter four times in float32 (the weights, their gradients and an
/// optimizer's two moments; Adam's, the default), one batch of activations through the widest layer, and the accuracy
/// matrices (tasks² doubles, twice with AUROC). Methods that keep copies (EWC's anchors, replay buffers) need more, so the bound
/// errs low: it refuses only what certainly cannot fit. The limit is the memory the runtime reports available (the machine's, or
/// the container's), and <c>--max-memory</c> overrides it.
/// </remarks>
/// <param name="Parameters">The network's parameter count.</param>
/// <param name="Bytes">The bound, in bytes.</param>
/// <param name="What">What it counts, for the message.</param>
public sealed record MemoryEstimate(long Parameters, double Bytes, string What)
{
    /// <summary>Bytes per parameter the bound counts: weights, gradients and two optimizer moments, float32 each.</summary>
    public const int BytesPerParameter = 16;

    /// <summary>The bound for a network of <paramref name="parameters"/> trained on batches of <paramref name="batch"/> rows
    /// whose widest layer has <paramref name="widest"/> units, over <paramref name="tasks"/> tasks.</summary>
    public static MemoryEstimate Of(long parameters, long batch, long widest, long tasks)
    {
        double weights = (double)parameters * BytesPerParameter, activations = 3.0 * batch * widest * sizeof(float), matrices = 2.0 * tasks * tasks * sizeof(double);
        return new MemoryEstimate(parameters, weights + activations + matrices,
            string.Create(CultureInfo.InvariantCulture, $"{parameters:N0} parameters × {BytesPerParameter} bytes (weights, gradients, two optimizer moments) + {Format(activations)} of activations + {Format(matrices)} of accuracy matrices"));
    }

    /// <summary>The memory a run may use unless told otherwise: the physical memory not in use now (Linux's <c>MemAvailable</c>),
    /// within what the runtime may use at all (the container's limit, if any); the runtime's figure alone elsewhere.</summary>
    /// <remarks>Free rather than total memory: on a shared machine a run that needs more than what is free pushes others into swap.</remarks>
    public static long DefaultLimit
    {
        get
        {
            long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            long available = MemAvailable() ?? total;
            return Math.Min(total, available + Environment.WorkingSet);
        }
    }

    private static long? MemAvailable()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/meminfo")) return null;
            foreach (string line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kilobytes))
                    return kilobytes * 1024;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Refuses the estimate when it exceeds <paramref name="limit"/> (the default limit when null).</summary>
    /// <param name="subject">What is refused, e.g. <c>model 'mlp:1000000'</c>.</param>
    /// <param name="limit">Bytes allowed; <see cref="DefaultLimit"/> when null.</param>
    /// <exception cref="ConfigurationException">The estimate exceeds the limit; the message gives both figures and the override.</exception>
    public void Check(string subject, long? limit)
    {
        long allowed = limit ?? DefaultLimit;
        if (Bytes <= allowed) return;
        throw new ConfigurationException(
            $"{subject} needs at least {Format(Bytes)} ({What}), more than the {Format(allowed)} {(limit is null ? "free on this machine" : "allowed by --max-memory")}. "
            + $"Choose a smaller model or stream, or raise the limit with --max-memory {Math.Ceiling(Bytes / (1L << 30)).ToString("F0", CultureInfo.InvariantCulture)}GB if you know it fits.");
    }

    /// <summary>Bytes as a person reads them: 512 MB, 6.0 GB, 3.6 TB (binary units).</summary>
    public static string Format(double bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1) { bytes /= 1024; unit++; }
        return bytes.ToString(unit == 0 ? "F0" : "F1", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>Parses a size such as <c>32GB</c>, <c>512 MB</c>, <c>2TB</c> or a plain number of bytes.</summary>
    /// <exception cref="ConfigurationException">Not a positive size.</exception>
    public static long ParseSize(string text, string name)
    {
        string trimmed = text.Trim().ToUpperInvariant();
        (string Suffix, double Factor)[] units = [("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1)];
        double factor = 1;
        foreach (var (suffix, value) in units)
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal)) { trimmed = trimmed[..^suffix.Length].Trim(); factor = value; break; }
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number) || number <= 0 || number * factor > long.MaxValue)
            throw new ConfigurationException($"{name} '{text}' is not a valid size; expected a positive size such as 32GB, 512MB or 2TB.");
        return (long)(number * factor);
    }
}
