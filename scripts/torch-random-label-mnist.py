#!/usr/bin/env python3
"""An independent PyTorch run of L2 Init's Random-Label MNIST protocol (Kumar, Marklund & Van Roy 2023), to check that
a ranking Lifelong shows (parameter-matched CReLU above L2 Init) is the protocol's and not our engine's.

Written from the protocol in ../shared/papers/plasticity.md and the L2 Init code's environment, not from our C# code:
1,200 training images fixed for the whole stream, labels permuted across them before every task (the first included,
unless --first-task-true-labels), 30,000 steps of batch 16 per task with the data reshuffled at each pass, pixels in
[-1, 1], MLP 784-100-100-10 with PyTorch's default nn.Linear init, Adam, cross-entropy. Methods:
  finetune   nothing else;
  l2init     loss += lambda/2 * sum((theta - theta_0)^2) over every weight and bias;
  l2         the same toward 0;
  crelu      CReLU(x) = [relu(x), relu(-x)] with the hidden width cut to int(0.91 * 100) = 91 (the L2 Init code's
             fraction_to_remove = 0.09 on MNIST), so the next layer sees 182 inputs.

Prints one line per task: task, online accuracy (mean of each step's batch accuracy before the step), the fraction of
first- and second-layer units that output zero on all 1,200 images, and mean |theta|.

  /usr/bin/python3 scripts/torch-random-label-mnist.py --method crelu --lr 1e-3 --tasks 50 --seed 0 > crelu.tsv
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from mnist_idx import find, read_idx


class Mlp(nn.Module):
    def __init__(self, crelu):
        super().__init__()
        width = int((1.0 - 0.09) * 100) if crelu else 100
        inputs = 2 * width if crelu else width
        self.crelu = crelu
        self.fc1, self.fc2, self.head = nn.Linear(784, width), nn.Linear(inputs, width), nn.Linear(inputs, 10)

    def activation(self, x):
        return torch.cat([F.relu(x), F.relu(-x)], dim=1) if self.crelu else F.relu(x)

    def forward(self, x):
        h1 = self.activation(self.fc1(x))
        h2 = self.activation(self.fc2(h1))
        return self.head(h2), (h1, h2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--method", choices=["finetune", "l2init", "l2", "crelu"], default="l2init")
    parser.add_argument("--lam", type=float, default=1e-2)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--steps", type=int, default=30000)
    parser.add_argument("--images", type=int, default=1200)
    parser.add_argument("--first-task-true-labels", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=os.path.expanduser("~/.cache/lifelong/mnist"))
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    pick = rng.permutation(60000)[:args.images]
    pixels = read_idx(find(args.data, "train-images-idx3-ubyte")).reshape(-1, 784)[pick].astype(np.float32) / 255.0
    xs = torch.from_numpy((pixels - 0.5) / 0.5)
    true_labels = torch.from_numpy(read_idx(find(args.data, "train-labels-idx1-ubyte"))[pick].astype(np.int64))

    model = Mlp(crelu=args.method == "crelu")
    params = list(model.parameters())
    anchors = [p.detach().clone() if args.method == "l2init" else torch.zeros_like(p) for p in params]
    regularize = args.method in ("l2init", "l2")
    optimizer = torch.optim.Adam(params, lr=args.lr)
    batch = 16

    print("task\tonline_acc\tdead_1\tdead_2\tmean_abs_theta", flush=True)
    for task in range(args.tasks):
        keep = task == 0 and args.first_task_true_labels
        ys = true_labels if keep else true_labels[torch.from_numpy(rng.permutation(args.images))]
        order, cursor, correct = torch.from_numpy(rng.permutation(args.images)), 0, 0.0
        for _ in range(args.steps):
            if cursor + batch > args.images:
                order, cursor = torch.from_numpy(rng.permutation(args.images)), 0
            rows = order[cursor:cursor + batch]
            cursor += batch
            logits, _ = model(xs[rows])
            loss = F.cross_entropy(logits, ys[rows])
            if regularize:
                loss = loss + 0.5 * args.lam * sum(((p - a) ** 2).sum() for p, a in zip(params, anchors))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            correct += (logits.argmax(1) == ys[rows]).float().mean().item()
        with torch.no_grad():
            _, hidden = model(xs)
            dead = [float((h == 0).all(0).float().mean()) for h in hidden]
            magnitude = float(sum(p.abs().sum() for p in params) / sum(p.numel() for p in params))
        print(f"{task}\t{correct / args.steps:.4f}\t{dead[0]:.3f}\t{dead[1]:.3f}\t{magnitude:.5f}", flush=True)


if __name__ == "__main__":
    main()
