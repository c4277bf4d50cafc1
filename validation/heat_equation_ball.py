#!/usr/bin/python3
"""Steady heat equation (Fourier) in a ball with a radially symmetric source and a fixed
surface temperature: k (1/r^2) d/dr(r^2 dT/dr) = -S(r), T(R) = T0, the diffusive
counterpart of a kapitza run with a source in a ball with a black (thermalizing) surface.

Two independent solutions:
- gaussian_rise(): the closed form for S = S0 exp(-r^2 / (2 w^2)) (the potential of a
  gaussian charge): T - T0 = P / (4 pi k) [erf(r / (sqrt 2 w)) / r - erf(R / (sqrt 2 w)) / R],
  P = S0 (2 pi)^(3/2) w^3; inside the ball only the enclosed source counts, so the
  truncation at R changes nothing there.
- radial_rise(): any S(r) by quadrature: Q(r) = int_0^r 4 pi s^2 S ds, the heat through
  the sphere of radius r, and T(r) - T0 = int_r^R Q(s) / (4 pi k s^2) ds.

Usage:
    validation/heat_equation_ball.py --self-test
checks radial_rise() against gaussian_rise() and against the uniform source's parabola
S (R^2 - r^2) / (6 k) (exit 1 when a relative difference exceeds SELF_TEST_TOLERANCE).
"""
import sys

import numpy as np
from scipy.integrate import cumulative_trapezoid
from scipy.special import erf

# Radial quadrature points of radial_rise(): the trapezoidal error is O(h^2), ~1e-8 of
# the rise for a gaussian of width R/5, far below any BTE-Fourier difference reported.
QUADRATURE_POINTS = 20001
SELF_TEST_TOLERANCE = 1e-6


def gaussian_power(peak, width):
    """Total power [W] of S0 exp(-r^2 / (2 w^2)) over all space."""
    return peak * (2 * np.pi) ** 1.5 * width ** 3


def gaussian_power_in_ball(peak, width, radius):
    """Power [W] of the gaussian inside the ball of `radius`."""
    x = radius / (np.sqrt(2) * width)
    return gaussian_power(peak, width) * (erf(x) - 2 / np.sqrt(np.pi) * x * np.exp(-x * x))


def gaussian_rise(r, peak, width, radius, kappa):
    """T - T0 [K] at the radii r [m] for the gaussian source (closed form)."""
    r = np.asarray(r, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        inner = np.where(r > 0, erf(r / (np.sqrt(2) * width)) / r, np.sqrt(2 / np.pi) / width)
    outer = erf(radius / (np.sqrt(2) * width)) / radius
    return gaussian_power(peak, width) / (4 * np.pi * kappa) * (inner - outer)


def radial_rise(r, source, radius, kappa):
    """T - T0 [K] at the radii r [m] for a source S(s) [W/m^3] (a vectorized function of
    the radius), by quadrature on QUADRATURE_POINTS radii in [0, R]."""
    s = np.linspace(0, radius, QUADRATURE_POINTS)
    enclosed = cumulative_trapezoid(4 * np.pi * s * s * source(s), s, initial=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        gradient = np.where(s > 0, enclosed / (4 * np.pi * kappa * s * s), 0)  # -dT/dr
    outward = cumulative_trapezoid(gradient, s, initial=0)
    return np.interp(r, s, outward[-1] - outward)


def self_test():
    """Largest relative differences of radial_rise() from the two closed forms."""
    radius, kappa, peak, width = 1e-7, 100.0, 1e17, 2e-8
    r = np.linspace(0, radius, 101)
    exact = gaussian_rise(r, peak, width, radius, kappa)
    gaussian = radial_rise(r, lambda s: peak * np.exp(-s * s / (2 * width * width)), radius, kappa)
    parabola = peak * (radius ** 2 - r ** 2) / (6 * kappa)
    uniform = radial_rise(r, lambda s: np.full_like(s, peak), radius, kappa)
    return {"gaussian": np.abs(gaussian - exact).max() / exact.max(),
            "uniform": np.abs(uniform - parabola).max() / parabola.max()}


def main(argv):
    if argv[1:] != ["--self-test"]:
        sys.exit(f"heat_equation_ball.py: usage: {argv[0]} --self-test")
    errors = self_test()
    for name, error in errors.items():
        print(f"{name} source: radial quadrature vs closed form, largest relative difference {error:.2e}")
    if max(errors.values()) > SELF_TEST_TOLERANCE:
        sys.exit(f"heat_equation_ball.py: error: a difference exceeds {SELF_TEST_TOLERANCE:g}")
    print("ok")


if __name__ == "__main__":
    main(sys.argv)
