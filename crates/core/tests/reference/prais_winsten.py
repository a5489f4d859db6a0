"""Reference numbers for the interrupted time series' Prais-Winsten fit (tests/evaluate/its.rs).

Written from the textbook definition, independently of the Rust code: feasible GLS with
AR(1) errors done with the full covariance matrix instead of the Prais-Winsten row
transform.

Model: y_t = b0 + b1 * (t / 365.25) + e_t on the days before the window (t < 16), t = day
number from the first day, e_t = rho e_{t-1} + u_t with u independent, Var u = s2. The
window is days 16..23: the counterfactual there is X beta, and the window's effect is the
mean of y - X beta over its days.

For a given rho, the errors' covariance on the observed days t_1 < ... < t_n is
    Sigma_ij = s2 * rho^|t_i - t_j| / (1 - rho^2)
(stationary AR(1); any missing days simply leave out rows and columns). GLS on the days
before the window:
    beta = (X' Sigma^-1 X)^-1 X' Sigma^-1 y,
    s2_hat = e' Sigma_1^-1 e / (n - k) with Sigma_1 = Sigma / s2 and e = y - X beta,
    cov(beta) = s2_hat (X' Sigma_1^-1 X)^-1.
(The Prais-Winsten transform T is a square root of Sigma_1^-1, T'T = Sigma_1^-1, so this
is the same estimator; this script never forms T.)

rho is re-estimated from the untransformed residuals e as the least-squares slope of e_t on
e_{t-1} over pairs of adjacent observed days (t_i - t_{i-1} = 1):
    rho = sum e_t e_{t-1} / sum e_{t-1}^2,
starting from OLS (rho = 0) and iterating until rho changes by less than 1e-14.

The effect's variance: the mean row xbar of the window's days gives xbar' cov(beta) xbar;
the mean of the window's m AR(1) errors adds s2_hat / (1 - rho^2) * sum_ij rho^|t_i - t_j|
/ m^2 (the correlation of the window's errors with the errors before it is left out, as
the Rust code documents).

Run: python3 prais_winsten.py   (numpy only)
"""

import numpy as np

Y = [100.0, 100.9, 100.4, 99.0, 99.3, 98.6, 100.5, 104.1, 102.4, 101.5, 103.4, 104.2,
     104.3, 102.4, 103.4, 105.5, 96.6, 97.1, 94.6, 94.7, 93.8, 96.7, 96.3, 99.3]


def fit(days):
    days = np.array(days, dtype=float)
    y_all = np.array([Y[int(d)] for d in days])
    X_all = np.column_stack([np.ones_like(days), days / 365.25])
    pre = days < 16
    X, y, dp = X_all[pre], y_all[pre], days[pre]
    n, k = X.shape
    adjacent = np.diff(dp) == 1

    def gls(rho):
        S1 = rho ** np.abs(dp[:, None] - dp[None, :]) / (1.0 - rho ** 2)
        Si = np.linalg.inv(S1)
        A = X.T @ Si @ X
        beta = np.linalg.solve(A, X.T @ Si @ y)
        e = y - X @ beta
        s2 = e @ Si @ e / (n - k)
        return beta, s2 * np.linalg.inv(A), e, s2

    rho = 0.0
    beta, cov, e, s2 = gls(rho)
    for _ in range(1000):
        new = np.sum(e[1:][adjacent] * e[:-1][adjacent]) / np.sum(e[:-1][adjacent] ** 2)
        if abs(new - rho) < 1e-14:
            break
        rho = new
        beta, cov, e, s2 = gls(rho)
    w = ~pre
    Xw, yw, dw = X_all[w], y_all[w], days[w]
    m = len(dw)
    step = np.mean(yw - Xw @ beta)
    xbar = Xw.mean(axis=0)
    noise = s2 / (1.0 - rho ** 2) * np.sum(rho ** np.abs(dw[:, None] - dw[None, :])) / m ** 2
    se_step = np.sqrt(xbar @ cov @ xbar + noise)
    return rho, beta, np.sqrt(np.diag(cov)), np.sqrt(s2), step, se_step


for name, days in [("every day", range(24)),
                   ("days 5, 11 and 12 missing", [d for d in range(24) if d not in (5, 11, 12)])]:
    rho, beta, se, su, step, se_step = fit(list(days))
    print(name)
    print(f"  rho   = {rho:.12f}")
    print(f"  beta  = {', '.join(f'{b:.10f}' for b in beta)}")
    print(f"  se    = {', '.join(f'{s:.10f}' for s in se)}")
    print(f"  sigma_innovation = {su:.10f}")
    print(f"  window step = {step:.10f}, se = {se_step:.10f}")
