package io.redisl1.benchmarks.load;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Zipf-distributed ranks over {@code n} keys: rank {@code i} (0-based) is drawn with probability
 * proportional to {@code 1 / (i + 1)^skew}. Skew 0 is uniform; ~1 is the classic web-cache shape.
 * Sampling is a binary search over the precomputed CDF, no allocation.
 */
final class Zipf {
  private final double[] cdf;

  Zipf(int n, double skew) {
    if (n < 1 || skew < 0 || Double.isNaN(skew)) {
      throw new IllegalArgumentException("Zipf needs n >= 1 and skew >= 0, got n=" + n + ", skew=" + skew);
    }
    cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, skew);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    cdf[n - 1] = 1.0;
  }

  int next() {
    int i = Arrays.binarySearch(cdf, ThreadLocalRandom.current().nextDouble());
    return i >= 0 ? i : -i - 1;
  }
}
