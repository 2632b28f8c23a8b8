namespace Lifelong.Catalog;

/// <summary>"Did you mean …?" for a misspelt name: the closest valid name by Damerau–Levenshtein distance (optimal string
/// alignment: insert, delete, substitute, swap two neighbours), when it is close enough to be a typo.</summary>
public static class Spelling
{
    /// <summary><c> Did you mean 'x'?</c> (with a leading space) for the candidate closest to <paramref name="input"/>, or an
    /// empty string when none is within a third of the longer name's length (at least 1 edit, at most 3).</summary>
    /// <remarks>Case, '-' and '_' are ignored when comparing, so <c>batch_size</c> is an exact match for <c>batch-size</c>.</remarks>
    public static string Suggest(string input, IEnumerable<string> candidates)
    {
        string typed = Normalize(input);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            string normalized = Normalize(candidate);
            int distance = Distance(typed, normalized);
            int allowed = Math.Clamp(Math.Max(typed.Length, normalized.Length) / 3, 1, 3);
            if (distance <= allowed && distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        // A name typed exactly as a candidate has nothing to suggest: what is wrong lies elsewhere, e.g. in its value.
        return best is null || typed.Length == 0 || best == input ? "" : $" Did you mean '{best}'?";
    }

    /// <summary>The optimal-string-alignment distance: edits (insert, delete, substitute, transpose adjacent) from a to b.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    private static string Normalize(string name) =>
        name.TrimStart('-').Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
