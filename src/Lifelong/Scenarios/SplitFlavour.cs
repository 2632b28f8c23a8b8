namespace Lifelong.Scenarios;

/// <summary>The three continual-learning scenarios of van de Ven, Tuytelaars &amp; Tolias (2022, "Three types of incremental learning").</summary>
public enum SplitFlavour
{
    /// <summary>Task-incremental: the task id is given at test; one head per task, labels 0..k−1 within the task.</summary>
    TaskIncremental,

    /// <summary>Domain-incremental: no task id; one shared head of k units, label = position of the class within its task ("even/odd" on split MNIST).</summary>
    DomainIncremental,

    /// <summary>Class-incremental: no task id; one head over all classes seen so far, each class keeps its own label.</summary>
    ClassIncremental,
}
