#!/usr/bin/env python3
"""An independent PyTorch run of C-CHAIN's continual-CartPole PPO protocol, to hold Lifelong's C# PPO against (issue 22,
item e). Written from ../shared/papers/rl.md and C-CHAIN's public code (bluecontra/C-CHAIN,
crl_gym_classic_control/control_train_aligned_vanilla.py, basic_utils.py, networks.py), not from our C# code; CartPole
is written here in numpy from Gymnasium's classic_control/cartpole.py (gym is not installed here).

The protocol, every item a flag with the protocol's value as its default:
  levels        10 levels of 200 iterations; level l adds one fixed offset vector to every observation (reset and step).
                Level 0's offset is zero; level l's is the (l+1)-th np.random.normal(0, 2, (4,)) draw after
                np.random.seed(seed), as C-CHAIN's get_peturbations draws them.
  iteration     a fresh reset, then 800 environment steps of one env in sequential episodes; an episode ends when
                CartPole terminates (no bootstrap), at 400 steps, or when the 800-step budget runs out (both cut and
                bootstrapped with V(s')). Episodes never carry over into the next iteration.
  returns       rewards are divided by 20 for learning; value target = discounted reward-to-go with V(s') appended
                (gamma 0.99); advantages = GAE (lambda 0.95) per episode, normalised over the iteration's 800 samples
                as (A - mean) / (population std + 1e-5).
  update        5 epochs over the 800 samples in shuffled minibatches of 32 (the last partial batch kept, as a
                DataLoader with shuffle=True); loss = clipped surrogate (0.2) - 0.01 * entropy + 0.5 * MSE(V, target);
                one Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8, no weight decay) over both networks; no gradient
                clipping, no lr annealing.
  networks      separate policy 4-256-256-256-2 (softmax into Categorical(probs)) and value 4-256-256-256-1 MLPs,
                LeakyReLU(0.1), PyTorch's default nn.Linear init.
  l2init        --l2init LAMBDA adds LAMBDA/2 * sum((theta - theta_0)^2) over every weight and bias of both networks
                to each minibatch's loss, so its gradient is LAMBDA * (theta - theta_0): the same lambda as
                Lifelong's l2init method (src/Lifelong/Methods/L2Init.cs). theta_0 is the initialisation.

The score is C-CHAIN's itr_mean_return: per iteration, the mean raw return (sum of unscaled rewards) over that
iteration's episodes, the last one cut at the budget included. "average" is the mean over all iterations (C-CHAIN's
Table 1, "average performance"); per-level means are the mean over each level's iterations.

Prints one tab-separated line per iteration to stdout (iteration, level, mean_return, episodes, seconds); --json PATH
writes the configuration, every iteration's return, the per-level means (and the means of each level's last 20
iterations), the average, the wall time, iterations/s, and the time spent in the updates with their rate in Adam steps
(minibatches of 32 through both networks) per second.

  OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 scripts/torch-ppo-continual-cartpole.py --seed 0 --json s0.json > s0.tsv
  /usr/bin/python3 scripts/torch-ppo-continual-cartpole.py --self-test
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class CartPole:
    """CartPole-v1's dynamics and termination (Gymnasium classic_control/cartpole.py): Euler integration, +1 reward per
    step including the terminating one, float64 state, float32 observation. The step cap is the caller's."""

    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    total_mass = masspole + masscart
    polemass_length = masspole * length
    theta_threshold = 12 * 2 * math.pi / 360
    x_threshold = 2.4

    def __init__(self, rng):
        self.rng = rng
        self.state = None

    def reset(self):
        self.state = tuple(self.rng.uniform(-0.05, 0.05, size=4))
        return np.array(self.state, dtype=np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        cos, sin = math.cos(theta), math.sin(theta)
        temp = (force + self.polemass_length * theta_dot ** 2 * sin) / self.total_mass
        theta_acc = (self.gravity * sin - cos * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * cos ** 2 / self.total_mass))
        x_acc = temp - self.polemass_length * theta_acc * cos / self.total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * x_acc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * theta_acc
        self.state = (x, x_dot, theta, theta_dot)
        terminated = x < -self.x_threshold or x > self.x_threshold or \
            theta < -self.theta_threshold or theta > self.theta_threshold
        return np.array(self.state, dtype=np.float32), 1.0, terminated


def mlp(inputs, width, outputs):
    return nn.Sequential(nn.Linear(inputs, width), nn.LeakyReLU(0.1), nn.Linear(width, width), nn.LeakyReLU(0.1),
                         nn.Linear(width, width), nn.LeakyReLU(0.1), nn.Linear(width, outputs))


def offsets(seed, levels, scale, size=4):
    """C-CHAIN's get_peturbations: `levels` draws from the global numpy generator right after np.random.seed(seed),
    the first replaced by zeros."""
    np.random.seed(seed)
    draws = [np.random.normal(0, scale, (size,)) for _ in range(levels)]
    draws[0] = np.zeros(size)
    return draws


def discounted(values, factor):
    out, running = [0.0] * len(values), 0.0
    for i in range(len(values) - 1, -1, -1):
        running = values[i] + factor * running
        out[i] = running
    return out


def episode_targets(rewards, values, last_value, gamma, lam):
    """Per episode (rewards already scaled): GAE advantages and the bootstrapped discounted reward-to-go."""
    rewards_ext, values_ext = rewards + [last_value], values + [last_value]
    deltas = [rewards_ext[t] + gamma * values_ext[t + 1] - values_ext[t] for t in range(len(rewards))]
    return discounted(deltas, gamma * lam), discounted(rewards_ext, gamma)[:-1]


class Snapshot:
    """The networks' weights copied into numpy for the rollout, where they are fixed: a float32 forward pass of one
    observation in numpy costs a fraction of PyTorch's per-call overhead, and gives the same numbers up to rounding."""

    def __init__(self, net):
        layers = [m for m in net if isinstance(m, nn.Linear)]
        self.layers = [(m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()) for m in layers]

    def __call__(self, x):
        for i, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if i < len(self.layers) - 1:
                x = np.maximum(x, np.float32(0.1) * x)
        return x


def sample(logits, rng):
    """An action from softmax(logits) and its log-probability as torch's Categorical(probs) computes it (probabilities
    clamped to [eps, 1 - eps] before the log), so the first update's ratio starts at 1."""
    z = np.exp(logits - logits.max())
    probs = z / z.sum()
    action = min(int(np.searchsorted(np.cumsum(probs), rng.random(), side="right")), len(probs) - 1)
    eps = np.finfo(np.float32).eps
    return action, float(np.log(np.clip(probs[action], eps, 1 - eps)))


def log_prob_and_entropy(probs, actions):
    dist = Categorical(probs)
    return dist.log_prob(actions), dist.entropy()


def l2init_penalty(params, anchors, lam):
    return 0.5 * lam * sum(((p - a) ** 2).sum() for p, a in zip(params, anchors))


def run(args):
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    level_offsets = offsets(args.seed, args.levels, args.offset_std)
    env = CartPole(np.random.default_rng(args.seed + 1_000_003))
    action_rng = np.random.default_rng(args.seed + 2_000_003)
    policy, value = mlp(4, args.width, 2), mlp(4, args.width, 1)
    params = list(policy.parameters()) + list(value.parameters())
    anchors = [p.detach().clone() for p in params]
    optimizer = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.999), eps=args.adam_eps, foreach=True)
    returns, episode_counts, update_seconds = [], [], 0.0
    start = time.time()
    print("iteration\tlevel\tmean_return\tepisodes\tseconds", flush=True)
    for iteration in range(args.levels * args.iterations_per_level):
        level = iteration // args.iterations_per_level
        offset = level_offsets[level]
        obs_all, act_all, adv_all, logp_all, target_all, episode_returns = [], [], [], [], [], []
        steps, pi, v_fn = 0, Snapshot(policy), Snapshot(value)
        while steps < args.iteration_steps:
            observation = env.reset()
            observation += offset
            rewards, values = [], []
            for t in range(args.episode_cap):
                action, log_prob = sample(pi(observation), action_rng)
                obs_all.append(observation)
                act_all.append(action)
                logp_all.append(log_prob)
                values.append(float(v_fn(observation)[0]))
                next_observation, reward, terminated = env.step(action)
                next_observation += offset
                rewards.append(reward / args.reward_scale)
                observation = next_observation
                steps += 1
                if terminated:
                    last_value = 0.0
                    break
                if t == args.episode_cap - 1 or steps == args.iteration_steps:
                    last_value = float(v_fn(observation)[0])
                    break
            advantages, targets = episode_targets(rewards, values, last_value, args.gamma, args.gae_lambda)
            adv_all += advantages
            target_all += targets
            episode_returns.append(args.reward_scale * float(np.sum(rewards)))
        adv = np.array(adv_all)
        adv = (adv - adv.mean()) / (adv.std() + 1e-5)
        data = (torch.from_numpy(np.stack(obs_all)), torch.tensor(act_all), torch.tensor(adv, dtype=torch.float32),
                torch.tensor(logp_all, dtype=torch.float32), torch.tensor(target_all, dtype=torch.float32))
        n, update_start = len(act_all), time.time()
        for _ in range(args.epochs):
            order = torch.randperm(n)
            for begin in range(0, n, args.batch_size):
                rows = order[begin:begin + args.batch_size]
                o, a, adv_b, old_logp, target = (d[rows] for d in data)
                new_logp, entropy = log_prob_and_entropy(F.softmax(policy(o), dim=-1), a)
                ratio = torch.exp(new_logp - old_logp)
                surrogate = torch.min(ratio * adv_b, torch.clamp(ratio, 1 - args.clip, 1 + args.clip) * adv_b)
                loss = -surrogate.mean() - args.entropy_coef * entropy.mean() \
                    + args.value_coef * F.mse_loss(value(o).squeeze(1), target)
                if args.l2init > 0:
                    loss = loss + l2init_penalty(params, anchors, args.l2init)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        update_seconds += time.time() - update_start
        returns.append(float(np.mean(episode_returns)))
        episode_counts.append(len(episode_returns))
        print(f"{iteration}\t{level}\t{returns[-1]:.3f}\t{len(episode_returns)}\t{time.time() - start:.1f}", flush=True)
    wall = time.time() - start
    per_level = [returns[l * args.iterations_per_level:(l + 1) * args.iterations_per_level] for l in range(args.levels)]
    return {
        "script": "scripts/torch-ppo-continual-cartpole.py",
        "torch": torch.__version__, "numpy": np.__version__, "threads": torch.get_num_threads(),
        "config": vars(args),
        "offsets": [o.tolist() for o in level_offsets],
        "iteration_mean_return": returns,
        "iteration_episodes": episode_counts,
        "level_means": [float(np.mean(r)) for r in per_level],
        "level_last20_means": [float(np.mean(r[-20:])) for r in per_level],
        "average": float(np.mean(returns)),
        "wall_seconds": wall,
        "iterations_per_second": len(returns) / wall,
        "update_seconds": update_seconds,
        "update_steps_per_second": len(returns) * args.epochs * math.ceil(args.iteration_steps / args.batch_size)
        / update_seconds,
    }


def self_test():
    """Checks against hand-derived values; prints each failure and returns 1 if any."""
    failures, checks = [], [0]

    def check(name, got, want, tol=1e-12):
        checks[0] += 1
        if not np.allclose(got, want, rtol=0, atol=tol):
            failures.append(f"{name}: got {got}, want {want}")

    # One step from rest, pushing right: sin 0 = 0, cos 0 = 1, temp = 10/1.1 = 100/11,
    # theta_acc = -(100/11) / (0.5 (4/3 - 0.1/1.1)) = -(100/11) / (41/66) = -600/41,
    # x_acc = 100/11 + 0.05 (600/41) / 1.1 = 400/41; Euler: positions move by the old velocities (zero).
    env = CartPole(None)
    env.state = (0.0, 0.0, 0.0, 0.0)
    _, reward, terminated = env.step(1)
    check("push right from rest", env.state, (0.0, 0.02 * 400 / 41, 0.0, -0.02 * 600 / 41))
    check("reward and termination", (reward, terminated), (1.0, False))
    env.state = (0.0, 0.0, 0.0, 0.0)
    env.step(0)
    check("push left from rest mirrors it", env.state, (0.0, -8 / 41, 0.0, 12 / 41))
    # Euler uses the old velocities for the positions: x' = 1.0 + 0.02 * 0.5, theta' = 0 + 0.02 * 0.3 (theta was 0).
    env.state = (1.0, 0.5, 0.0, 0.3)
    env.step(1)
    check("Euler positions", (env.state[0], env.state[2]), (1.01, 0.006))
    # Florian (2007), eqs. 23-24 without friction, written out here in their own form: theta = 0.1, theta_dot = 0.5,
    # pushing left (F = -10), M = 1, m = 0.1, l = 0.5, g = 9.8.
    th, th_dot, force, m_all = 0.1, 0.5, -10.0, 1.1
    th_acc = (9.8 * math.sin(th) + math.cos(th) * (-force - 0.05 * th_dot ** 2 * math.sin(th)) / m_all) / (
        0.5 * (4 / 3 - 0.1 * math.cos(th) ** 2 / m_all))
    x_acc = (force + 0.05 * (th_dot ** 2 * math.sin(th) - th_acc * math.cos(th))) / m_all
    env.state = (0.0, 0.0, th, th_dot)
    env.step(0)
    check("tilted, spinning pole pushed left", env.state, (0.0, 0.02 * x_acc, th + 0.02 * th_dot, th_dot + 0.02 * th_acc))
    # Termination: beyond 2.4 in x or 12 degrees (0.20944 rad) in theta, judged on the new state.
    env.state = (2.39, 1.0, 0.0, 0.0)
    check("cart leaves the track", env.step(1)[2], True)
    env.state = (2.39, 0.4, 0.0, 0.0)
    check("cart stays on the track", env.step(1)[2], False)
    env.state = (0.0, 0.0, 0.2094, 0.1)
    check("pole falls past 12 degrees", env.step(1)[2], True)
    env = CartPole(np.random.default_rng(0))
    starts = np.array([env.reset() for _ in range(1000)])
    check("resets lie in (-0.05, 0.05)", bool(np.abs(starts).max() < 0.05), True)

    # GAE and reward-to-go on a two-step episode, rewards already scaled (1/20), values 0.1, 0.2.
    # Terminated: deltas 0.05 + 0.99*0.2 - 0.1 = 0.148 and 0.05 - 0.2 = -0.15; A0 = 0.148 + 0.9405 * -0.15.
    adv, rtg = episode_targets([0.05, 0.05], [0.1, 0.2], 0.0, 0.99, 0.95)
    check("GAE, terminated", adv, [0.006925, -0.15])
    check("reward-to-go, terminated", rtg, [0.0995, 0.05])
    # Cut with V(s') = 1: delta1 = 0.05 + 0.99 - 0.2 = 0.84, A0 = 0.148 + 0.9405 * 0.84; targets 1.04 and 0.05 + 0.99 * 1.04.
    adv, rtg = episode_targets([0.05, 0.05], [0.1, 0.2], 1.0, 0.99, 0.95)
    check("GAE, bootstrapped", adv, [0.93802, 0.84])
    check("reward-to-go, bootstrapped", rtg, [1.0796, 1.04])

    # Offsets: level 0 zero, level l the (l+1)-th normal(0, 2, 4) draw after np.random.seed(seed), whatever the count.
    few, many = offsets(7, 3, 2.0), offsets(7, 10, 2.0)
    np.random.seed(7)
    np.random.normal(0, 2, (4,))
    second = np.random.normal(0, 2, (4,))
    check("level 0 is unchanged", few[0], np.zeros(4), 0)
    check("level 1 is the second draw", few[1], second, 0)
    check("offsets do not depend on the level count", np.stack(few), np.stack(many[:3]), 0)

    # L2 Init: lambda/2 * |theta - theta_0|^2 has gradient lambda * (theta - theta_0).
    p = torch.tensor([1.0, -2.0], requires_grad=True)
    penalty = l2init_penalty([p], [torch.tensor([0.5, 0.0])], 0.1)
    penalty.backward()
    check("L2 Init value", float(penalty), 0.05 * (0.25 + 4.0), 1e-7)
    check("L2 Init gradient", p.grad.numpy(), [0.05, -0.2], 1e-7)

    # The rollout's numpy forward pass and log-probability agree with PyTorch's on the same weights.
    torch.manual_seed(0)
    net = mlp(4, 256, 2)
    x = np.array([0.3, -1.2, 2.5, 0.7], dtype=np.float32)
    logits = Snapshot(net)(x)
    check("numpy forward = torch forward", logits, net(torch.from_numpy(x)).detach().numpy(), 1e-5)
    action, log_prob = sample(logits, np.random.default_rng(0))
    want, _ = log_prob_and_entropy(F.softmax(net(torch.from_numpy(x)), dim=-1), torch.tensor(action))
    check("rollout log-probability = Categorical's", log_prob, float(want), 1e-6)
    rng = np.random.default_rng(1)
    draws = [sample(np.array([0.0, np.log(3.0)], dtype=np.float32), rng)[0] for _ in range(20000)]
    check("actions follow softmax (3:1 odds give 0.75 +- 0.01)", abs(np.mean(draws) - 0.75) < 0.01, True)

    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"self-test: {checks[0] - len(failures)} checks passed, {len(failures)} failed")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--levels", type=int, default=10)
    parser.add_argument("--iterations-per-level", type=int, default=200)
    parser.add_argument("--iteration-steps", type=int, default=800)
    parser.add_argument("--episode-cap", type=int, default=400)
    parser.add_argument("--offset-std", type=float, default=2.0)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--adam-eps", type=float, default=1e-8)
    parser.add_argument("--gamma", type=float, default=0.99)
    parser.add_argument("--gae-lambda", type=float, default=0.95)
    parser.add_argument("--reward-scale", type=float, default=20.0)
    parser.add_argument("--clip", type=float, default=0.2)
    parser.add_argument("--entropy-coef", type=float, default=0.01)
    parser.add_argument("--value-coef", type=float, default=0.5)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--l2init", type=float, default=0.0, metavar="LAMBDA",
                        help="L2 Init's lambda (0, the default, is vanilla PPO)")
    parser.add_argument("--json", metavar="PATH", help="write the summary here")
    parser.add_argument("--self-test", action="store_true", help="check the dynamics, GAE, offsets and L2 Init, then exit")
    args = parser.parse_args()
    if args.self_test:
        sys.exit(self_test())
    for name in ("levels", "iterations_per_level", "iteration_steps", "episode_cap", "epochs", "batch_size", "width"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    if args.l2init < 0:
        parser.error(f"--l2init must be >= 0, got {args.l2init}")
    result = run(args)
    print(f"average {result['average']:.2f}; level means " + " ".join(f"{m:.1f}" for m in result["level_means"])
          + f"; {result['iterations_per_second']:.3f} iterations/s", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()
