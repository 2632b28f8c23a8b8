using Lifelong.Tensors;
using static Lifelong.NN.Tests.Optim.OptimizerTestData;

namespace Lifelong.NN.Tests.Optim;

public class OptimizerTests
{
    private static Tensor Matrix(int rows, int cols, float scale) =>
        WithGrad(Tensor.FromArray([.. Enumerable.Range(0, rows * cols).Select(i => scale * (i - 5.5f))], rows, cols));

    private static void StepAll(Optimizer optimizer, IEnumerable<Tensor> parameters, float gradientScale)
    {
        foreach (var p in parameters)
            p.Grad = Tensor.FromArray([.. Enumerable.Range(0, p.Size).Select(i => gradientScale * (1 + i % 5) * (i % 2 == 0 ? 1 : -1))], p.Shape.ToArray());
        optimizer.Step();
    }

    [Fact]
    public void Each_param_group_uses_its_own_learning_rate()
    {
        var slow = NewParameter(0f, 0f);
        var fast = NewParameter(0f, 0f);
        var sgd = new Sgd([slow], lr: 0.1);
        sgd.AddParamGroup([fast], g => g.Lr = 1.0);
        slow.Grad = Tensor.Ones(2);
        fast.Grad = Tensor.Ones(2);
        sgd.Step();
        AssertClose([-0.1f, -0.1f], slow.Span, 0f);
        AssertClose([-1f, -1f], fast.Span, 0f);
        Assert.Equal(0.1, sgd.ParamGroups[0].Lr);
        Assert.Equal(1.0, sgd.ParamGroups[1].Lr);
    }

    [Fact]
    public void A_parameter_added_later_starts_with_fresh_state_and_the_group_defaults()
    {
        var old = NewParameter();
        var adam = new Adam([old], lr: 0.1, beta1: 0.8);
        StepWith(adam, old, Gradients[0]);
        StepWith(adam, old, Gradients[1]);

        var grown = NewParameter();
        var group = adam.AddParamGroup([grown], g => g.Lr = 0.01);
        Assert.Equal(0.8, group.Beta1);
        old.Grad = Tensor.FromArray((float[])Gradients[2].Clone());
        grown.Grad = Tensor.FromArray((float[])Gradients[2].Clone());
        adam.Step();

        // A first Adam step moves each element by η·sign(g) (up to ε): −0.3 → +0.01, 0.5 → −0.01, 0.2 → −0.01.
        AssertClose([1.01f, -2.01f, 0.49f], grown.Span);
        Assert.Equal(1, adam.GetState(grown)!.Step);
        Assert.Equal(3, adam.GetState(old)!.Step);
    }

    [Fact]
    public void A_parameter_cannot_be_in_two_groups()
    {
        var p = NewParameter();
        var adam = new Adam([p]);
        Assert.Throws<ArgumentException>(() => adam.AddParamGroup([p]));
        Assert.Single(adam.ParamGroups);
    }

    [Fact]
    public void Resetting_rows_zeroes_exactly_those_rows_of_both_adam_moments_and_keeps_the_step()
    {
        var weight = Matrix(3, 4, 0.1f);
        var adam = new Adam([weight], lr: 0.01);
        StepAll(adam, [weight], 0.5f);
        StepAll(adam, [weight], -0.25f);
        var state = adam.GetState(weight)!;
        var before = state.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

        adam.ResetRows(weight, [0, 2]);

        foreach (var (name, tensor) in state.Tensors)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(i is 0 or 2 ? 0f : before[name][i * 4 + j], tensor[i, j]);
        Assert.All(before.Values, values => Assert.All(values, v => Assert.NotEqual(0f, v)));
        Assert.Equal(2, state.Step);
    }

    [Fact]
    public void Resetting_columns_zeroes_exactly_those_columns_of_both_adam_moments()
    {
        var weight = Matrix(3, 4, 0.1f);
        var adam = new Adam([weight], lr: 0.01);
        StepAll(adam, [weight], 0.5f);
        var state = adam.GetState(weight)!;
        var before = state.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

        adam.ResetColumns(weight, [1, -1]);   // −1 is the last column, 3

        foreach (var (name, tensor) in state.Tensors)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(j is 1 or 3 ? 0f : before[name][i * 4 + j], tensor[i, j]);
    }

    [Fact]
    public void Resetting_a_middle_axis_of_a_conv_weight_zeroes_those_input_channels()
    {
        var weight = WithGrad(Tensor.Ones(2, 3, 2, 2));
        var sgd = new Sgd([weight], lr: 0.1, momentum: 0.9);
        StepAll(sgd, [weight], 1f);
        sgd.ResetState(weight, [1], axis: 1);
        var buffer = sgd.GetState(weight)![Sgd.MomentumBuffer];
        for (int o = 0; o < 2; o++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(c == 1, buffer[o, c, k / 2, k % 2] == 0f);
    }

    [Fact]
    public void Resetting_by_mask_zeroes_exactly_the_masked_elements()
    {
        var bias = NewParameter(1f, 2f, 3f, 4f);
        var adam = new Adam([bias]);
        StepAll(adam, [bias], 1f);
        adam.ResetState(bias, [true, false, false, true]);
        var m = adam.GetState(bias)![Adam.ExpAvg];
        Assert.Equal(0f, m[0]);
        Assert.NotEqual(0f, m[1]);
        Assert.NotEqual(0f, m[2]);
        Assert.Equal(0f, m[3]);
    }

    [Fact]
    public void Resetting_a_parameter_without_state_does_nothing_and_a_foreign_tensor_is_refused()
    {
        var p = NewParameter();
        var adam = new Adam([p]);
        adam.ResetRows(p, [0]);
        Assert.Null(adam.GetState(p));
        Assert.Throws<ArgumentException>(() => adam.ResetRows(NewParameter(), [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.ResetRows(p, [3]));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void A_state_dict_round_trip_through_safetensors_gives_identical_subsequent_steps(string kind)
    {
        Optimizer Create(Tensor[] ps, double lr) => kind switch
        {
            "sgd" => new Sgd(ps, lr: lr, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
            "adam" => new Adam(ps, lr: lr, weightDecay: 1e-3),
            _ => new AdamW(ps, lr: lr),
        };
        Tensor[] original = [Matrix(3, 4, 0.1f), NewParameter()];
        var optimizer = Create(original[..1], 0.01);
        if (optimizer is Optimizer<SgdParamGroup> sgd) sgd.AddParamGroup(original[1..], g => g.Lr = 0.05);
        if (optimizer is Optimizer<AdamParamGroup> adam) adam.AddParamGroup(original[1..], g => g.Lr = 0.05);
        StepAll(optimizer, original, 0.5f);
        StepAll(optimizer, original, -0.3f);

        string path = Path.Combine(Path.GetTempPath(), $"lifelong-optim-{Guid.NewGuid():N}.safetensors");
        try
        {
            optimizer.StateDict().Save(path);
            Tensor[] copy = [.. original.Select(p => WithGrad(p.Clone()))];
            var restored = Create(copy[..1], lr: 123);   // hyperparameters must come from the state dict
            if (restored is Optimizer<SgdParamGroup> sgd2) sgd2.AddParamGroup(copy[1..]);
            if (restored is Optimizer<AdamParamGroup> adam2) adam2.AddParamGroup(copy[1..]);
            restored.LoadStateDict(OptimizerStateDict.Load(path));

            Assert.Equal(0.01, restored.ParamGroups[0].Lr);
            Assert.Equal(0.05, restored.ParamGroups[1].Lr);
            StepAll(optimizer, original, 0.7f);
            StepAll(restored, copy, 0.7f);
            for (int i = 0; i < original.Length; i++) Assert.Equal(original[i].ToArray(), copy[i].ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_state_dict_from_another_optimizer_type_is_refused()
    {
        var p = NewParameter();
        var adam = new Adam([p]);
        StepWith(adam, p, Gradients[0]);
        var sgd = new Sgd([NewParameter()]);
        Assert.Throws<ArgumentException>(() => sgd.LoadStateDict(adam.StateDict()));
    }

    [Fact]
    public void The_state_dict_is_keyed_by_parameter_index_in_group_order()
    {
        var a = NewParameter();
        var b = NewParameter();
        var adam = new Adam([a]);
        adam.AddParamGroup([b]);
        StepWith(adam, b, Gradients[0]);
        var dict = adam.StateDict();
        Assert.Equal(["state.1.exp_avg", "state.1.exp_avg_sq"], dict.Tensors.Keys.Order());
        Assert.Equal(1, dict.Scalars["state.1.step"]);
        Assert.Equal(1, dict.Scalars["param_groups.1.param_count"]);
        Assert.Equal(0.999, dict.Scalars["param_groups.0.beta2"]);
    }
}

public class OptimizerAllocationTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void Steady_state_steps_do_not_allocate(string kind)
    {
        var p = OptimizerTestData.WithGrad(Tensor.Ones(64, 33));
        p.Grad = Tensor.Full(p.Shape, 0.01f);
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd([p], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4),
            "adam" => new Adam([p], weightDecay: 1e-4),
            _ => new AdamW([p]),
        };
        for (int i = 0; i < 3; i++) optimizer.Step();   // state and scratch are created here
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) optimizer.Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
