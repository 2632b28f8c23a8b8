namespace Lifelong.Pretrained;

/// <summary>When SoTU scores its analysis heads (the oracle head refitted on every seen task, and the frozen-θ₀ head).</summary>
public enum OracleSchedule
{
    /// <summary>Never (the method alone).</summary>
    None,

    /// <summary>After the last task only: one refit of the oracle over the whole stream.</summary>
    Last,

    /// <summary>After every task: a refit over all seen tasks each time (T(T+1)/2 task fits of the head in all).</summary>
    Every,
}
