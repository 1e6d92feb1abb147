#!/usr/bin/env python3
"""The reference for bench/run game: the same 200-round matches of the same
seven strategies in a full round robin (each pair once, and each strategy
against a copy of itself), written as a plain Python program would: a player
object per side keeping its history, a strategy method that looks at the
histories, a payoff table.  No numpy.  It does less per move than the Axelrod
library (no match or player classes with their checks, no result sets), so
rapport's ratio against it is a lower bound of its ratio against Axelrod.

Usage: game_ref.py ROUNDS REPETITIONS -> prints "MATCHES SECONDS"."""
import random
import sys
import time

C, D = "C", "D"
PAYOFF = {(C, C): (3, 3), (C, D): (0, 5), (D, C): (5, 0), (D, D): (1, 1)}
Q = min(1 - (5 - 3) / (3 - 0), (3 - 1) / (5 - 1))


class Player:
    def __init__(self):
        self.history = []

    def strategy(self, opponent):
        raise NotImplementedError


class AllC(Player):
    def strategy(self, opponent):
        return C


class AllD(Player):
    def strategy(self, opponent):
        return D


class TitForTat(Player):
    def strategy(self, opponent):
        return opponent.history[-1] if opponent.history else C


class GenerousTitForTat(Player):
    def strategy(self, opponent):
        if not opponent.history or opponent.history[-1] == C:
            return C
        return C if random.random() < Q else D


class Grim(Player):
    grudge = False

    def strategy(self, opponent):
        # A flag, not a scan of the history: the reference should be quick.
        if opponent.history and opponent.history[-1] == D:
            self.grudge = True
        return D if self.grudge else C


class WinStayLoseShift(Player):
    def strategy(self, opponent):
        if not self.history:
            return C
        return C if self.history[-1] == opponent.history[-1] else D


class Random(Player):
    def strategy(self, opponent):
        return C if random.random() < 0.5 else D


STRATEGIES = [AllC, AllD, TitForTat, GenerousTitForTat, Grim, WinStayLoseShift, Random]


def play(a, b, rounds):
    score_a = score_b = 0
    for _ in range(rounds):
        move_a, move_b = a.strategy(b), b.strategy(a)
        a.history.append(move_a)
        b.history.append(move_b)
        pa, pb = PAYOFF[(move_a, move_b)]
        score_a += pa
        score_b += pb
    return score_a, score_b


def main():
    rounds, repetitions = int(sys.argv[1]), int(sys.argv[2])
    random.seed(1)
    scores = {s.__name__: 0 for s in STRATEGIES}
    matches = 0
    start = time.perf_counter()
    for _ in range(repetitions):
        for i, s in enumerate(STRATEGIES):
            for t in STRATEGIES[i:]:
                a, b = s(), t()
                sa, sb = play(a, b, rounds)
                scores[s.__name__] += sa
                if t is not s:
                    scores[t.__name__] += sb
                matches += 1
    print(matches, time.perf_counter() - start)


if __name__ == "__main__":
    main()
