using Lifelong.Data;
using Lifelong.Examples;

// Train a 784-256-256-10 MLP on MNIST for three epochs and print the test accuracy (fetches MNIST on first use).
var store = new DatasetStore { Log = Console.WriteLine };
var accuracies = MnistMlpDemo.Train(new MnistMlpOptions(Hidden: [256, 256]), store, Console.WriteLine);
Console.WriteLine($"MNIST test accuracy: {accuracies[^1]:P2}");
