#!/usr/bin/env python3
"""An independent PyTorch run of L2 Init's Permuted MNIST protocol (Kumar, Marklund & Van Roy 2023), to check that a
behaviour Lifelong shows over the full 500 tasks is the protocol's and not our engine's.

It is written from the protocol in ../shared/papers/plasticity.md, not from our C# code: MLP 784-100-100-10 with
PyTorch's default nn.Linear init, pixels mapped to [-1, 1], task 0 unpermuted and every later task a fresh pixel
permutation, a fresh random subset of 10,000 training images per task, 625 steps of batch 16 per task (reshuffled at
each pass), Adam, cross-entropy, and an optional penalty toward 0 (L2) or toward the initial parameters (L2 Init):
loss += lambda/2 * sum((theta - anchor)^2) over every weight and bias.

Prints one line per task: task, online accuracy (mean of each step's batch accuracy before the step), and the fraction
of first- and second-layer units that output zero on all of 1,000 test images of the task, measured after the task.

  /usr/bin/python3 scripts/torch-permuted-mnist.py --method l2 --lam 1e-2 --lr 1e-3 --tasks 500 --seed 0 > l2.tsv
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from mnist_idx import find, read_idx


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--method", choices=["finetune", "l2", "l2init"], default="l2")
    parser.add_argument("--lam", type=float, default=1e-2)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--steps", type=int, default=625)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=os.path.expanduser("~/.cache/lifelong/mnist"))
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    def load(images, labels):
        x = read_idx(find(args.data, images)).reshape(-1, 784).astype(np.float32) / 255.0
        return torch.from_numpy((x - 0.5) / 0.5), torch.from_numpy(read_idx(find(args.data, labels)).astype(np.int64))

    train_x, train_y = load("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    test_x, test_y = load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    test_pick = torch.from_numpy(rng.permutation(len(test_x))[:1000])
    test_x, test_y = test_x[test_pick], test_y[test_pick]

    model = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 10))
    params = list(model.parameters())
    anchors = [p.detach().clone() if args.method == "l2init" else torch.zeros_like(p) for p in params]
    optimizer = torch.optim.Adam(params, lr=args.lr)
    batch = 16

    print("task\tonline_acc\tdead_1\tdead_2\tmean_abs_theta", flush=True)
    for task in range(args.tasks):
        permutation = torch.arange(784) if task == 0 else torch.from_numpy(rng.permutation(784))
        subset = torch.from_numpy(rng.permutation(len(train_x))[:10000])
        xs, ys = train_x[subset][:, permutation], train_y[subset]
        order, cursor, correct = torch.from_numpy(rng.permutation(len(xs))), 0, 0.0
        for _ in range(args.steps):
            if cursor + batch > len(xs):
                order, cursor = torch.from_numpy(rng.permutation(len(xs))), 0
            pick = order[cursor:cursor + batch]
            cursor += batch
            logits = model(xs[pick])
            loss = F.cross_entropy(logits, ys[pick])
            if args.method != "finetune":
                loss = loss + 0.5 * args.lam * sum(((p - a) ** 2).sum() for p, a in zip(params, anchors))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            correct += (logits.argmax(1) == ys[pick]).float().mean().item()
        with torch.no_grad():
            h1 = F.relu(model[0](test_x[:, permutation]))
            h2 = F.relu(model[2](h1))
            dead = [float((h == 0).all(0).float().mean()) for h in (h1, h2)]
            magnitude = float(sum(p.abs().sum() for p in params) / sum(p.numel() for p in params))
        print(f"{task}\t{correct / args.steps:.4f}\t{dead[0]:.3f}\t{dead[1]:.3f}\t{magnitude:.5f}", flush=True)


if __name__ == "__main__":
    main()
