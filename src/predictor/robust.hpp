#pragma once
// Huber regression: ridge whose squared loss turns linear beyond a threshold, fitted by iteratively reweighted least
// squares. Why: on ~50 benchmark rows a few runs taken in another device state (campaign shift: 2-4 W where the board
// draws 6-7 W under load) drag a least-squares fit away from every other model; Huber keeps their pull bounded.
// The threshold is the textbook 1.345 x the residuals' robust scale (MAD / 0.6745), re-estimated each iteration, so
// nothing here is tuned to one data set.
#include <vector>

#include "predictor/ridge.hpp"

namespace edgeml::predictor {

inline constexpr double kHuberTuning = 1.345;  // 95% efficiency under Gaussian noise (Huber 1964)
inline constexpr int kHuberMaxIterations = 50;

// Same arguments and errors as RidgeRegression::fit (x: n x d row-major, on whatever scale the caller chose).
RidgeRegression fit_huber(const std::vector<double>& x, size_t n, size_t d, const std::vector<double>& y,
                          double lambda);

}  // namespace edgeml::predictor
