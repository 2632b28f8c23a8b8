using Lifelong.Evaluation;

namespace Lifelong.Tests.Evaluation;

public class ContinualMetricsTests
{
    // R[i][j]: accuracy on task j after training through task i.
    private static readonly double?[][] R =
    [
        [0.9, 0.1, 0.2],
        [0.7, 0.8, 0.3],
        [0.6, 0.5, 0.9],
    ];

    [Fact]
    public void Acc_is_the_mean_of_the_final_row()
    {
        Assert.Equal((0.6 + 0.5 + 0.9) / 3, ContinualMetrics.Acc(R), 12);
    }

    [Fact]
    public void Bwt_matches_the_GEM_formula_on_a_hand_made_matrix()
    {
        // ((0.6 − 0.9) + (0.5 − 0.8)) / (T − 1) = −0.6 / 2
        Assert.Equal(-0.3, ContinualMetrics.Bwt(R), 12);
    }

    [Fact]
    public void Fwt_compares_the_accuracy_just_before_training_with_random_init()
    {
        // ((R[0][1] − b1) + (R[1][2] − b2)) / 2 = ((0.1 − 0.1) + (0.3 − 0.1)) / 2
        Assert.Equal(0.1, ContinualMetrics.Fwt(R, [0.1, 0.1, 0.1]), 12);
    }

    [Fact]
    public void Forgetting_takes_the_best_earlier_accuracy_minus_the_final()
    {
        // task 0: max(R00, R10) − R20 = 0.9 − 0.6; task 1: R11 − R21 = 0.8 − 0.5; mean 0.3
        Assert.Equal(0.3, ContinualMetrics.Forgetting(R), 12);
    }

    [Fact]
    public void Mammoth_forgetting_lets_the_final_row_into_the_max_so_it_is_never_negative()
    {
        double?[][] improving = [[0.5, 0.1], [0.7, 0.9]];
        Assert.Equal(-0.2, ContinualMetrics.Forgetting(improving), 12);   // 0.5 − 0.7
        Assert.Equal(0.0, ContinualMetrics.ForgettingMammoth(improving), 12);
    }

    [Fact]
    public void Average_incremental_accuracy_averages_the_seen_tasks_of_each_row()
    {
        // (0.9 + (0.7 + 0.8)/2 + (0.6 + 0.5 + 0.9)/3) / 3
        Assert.Equal((0.9 + 0.75 + 2.0 / 3) / 3, ContinualMetrics.AverageIncrementalAccuracy(R), 12);
    }

    [Fact]
    public void Skipped_entries_are_skipped_and_needed_ones_are_named()
    {
        double?[][] sparse =
        [
            [0.9, 0.1, null],
            [null, 0.8, 0.3],
            [0.6, 0.5, 0.9],
        ];
        // Row 1 is not fully evaluated, so the average uses rows 0 and 2 only.
        Assert.Equal((0.9 + 2.0 / 3) / 2, ContinualMetrics.AverageIncrementalAccuracy(sparse), 12);
        Assert.Equal(0.3, ContinualMetrics.Forgetting(sparse), 12);   // task 0: only R00 is there before the end
        double?[][] noDiagonal = [[null, 0.1], [0.5, 0.9]];
        var e = Assert.Throws<ArgumentException>(() => ContinualMetrics.Bwt(noDiagonal));
        Assert.Contains("R[0][0]", e.Message);
    }

    [Fact]
    public void One_task_has_no_transfer_and_no_forgetting()
    {
        double?[][] one = [[0.7]];
        Assert.Equal(0, ContinualMetrics.Bwt(one));
        Assert.Equal(0, ContinualMetrics.Fwt(one, [0.1]));
        Assert.Equal(0, ContinualMetrics.Forgetting(one));
        Assert.Equal(0.7, ContinualMetrics.Acc(one), 12);
    }

    [Fact]
    public void A_matrix_that_is_not_square_is_refused_with_its_shape()
    {
        double?[][] ragged = [[0.1, 0.2], [0.3]];
        var e = Assert.Throws<ArgumentException>(() => ContinualMetrics.Acc(ragged));
        Assert.Contains("Row 1", e.Message);
    }
}
