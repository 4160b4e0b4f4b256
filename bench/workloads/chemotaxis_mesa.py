"""The chemotaxis workload of bench/compare.sh in Mesa 3 (the same model as
chemotaxis.myco): N grazers each step move 2.0 toward the strongest food
reading (range 40, falloff 0.05: strength exp(-0.05 d), so the nearest food
within 40), or randomly within a disc of radius 3 when none; N/10 static
food sources; everything starts in a disc of radius 10*sqrt(N).

Usage: python chemotaxis_mesa.py N STEPS
Prints `agents A steps S seconds T agent_steps_per_s R` (set-up excluded;
agent-steps count the N grazers).
"""

import math
import sys
import time

import mesa
from mesa.space import ContinuousSpace

RANGE = 40.0
FALLOFF = 0.05
STEP = 2.0
WANDER = 3.0
BOUND = 1e6  # the space needs finite bounds: far beyond where anyone goes


def in_disc(rng, radius):
    r = radius * math.sqrt(rng.random())
    a = 2.0 * math.pi * rng.random()
    return (r * math.cos(a), r * math.sin(a))


class Food(mesa.Agent):
    """A static food source (it never steps)."""


class Grazer(mesa.Agent):
    def step(self):
        space = self.model.space
        best = None
        best_strength = 0.0
        for other in space.get_neighbors(self.pos, RANGE, include_center=False):
            if not isinstance(other, Food):
                continue
            dx = other.pos[0] - self.pos[0]
            dy = other.pos[1] - self.pos[1]
            strength = math.exp(-FALLOFF * math.hypot(dx, dy))
            if best is None or strength > best_strength or (
                strength == best_strength and other.unique_id < best.unique_id
            ):
                best, best_strength = other, strength
        if best is not None:
            dx = best.pos[0] - self.pos[0]
            dy = best.pos[1] - self.pos[1]
            length = math.hypot(dx, dy)
            if length > 0.0:
                dx, dy = dx / length * STEP, dy / length * STEP
            else:
                dx, dy = 0.0, 0.0
        else:
            dx, dy = in_disc(self.random, WANDER)
        space.move_agent(self, (self.pos[0] + dx, self.pos[1] + dy))


class Chemotaxis(mesa.Model):
    def __init__(self, n, seed=2026):
        super().__init__(rng=seed)
        self.space = ContinuousSpace(BOUND, BOUND, torus=False, x_min=-BOUND, y_min=-BOUND)
        field = 10.0 * math.sqrt(n)
        for _ in range(n // 10):
            food = Food(self)
            self.space.place_agent(food, in_disc(self.random, field))
        self.grazers = []
        for _ in range(n):
            grazer = Grazer(self)
            self.space.place_agent(grazer, in_disc(self.random, field))
            self.grazers.append(grazer)

    def step(self):
        for grazer in self.grazers:
            grazer.step()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    model = Chemotaxis(n)
    started = time.perf_counter()
    for _ in range(steps):
        model.step()
    seconds = time.perf_counter() - started
    agents = len(model.agents)
    rate = n * steps / seconds if seconds > 0 else 0.0
    print(f"agents {agents} steps {steps} seconds {seconds:.6f} agent_steps_per_s {rate:.0f}")


if __name__ == "__main__":
    main()
