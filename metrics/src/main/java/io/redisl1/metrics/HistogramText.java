package io.redisl1.metrics;

import io.redisl1.store.LatencyHistogram;
import java.util.Locale;

/**
 * A {@link LatencyHistogram} in Prometheus text (a native {@code histogram}: cumulative {@code
 * _bucket{le=...}}, {@code _sum} and {@code _count} in seconds), appended to the registry's scrape.
 * The histogram's buckets are counted by the store itself, so nothing is recorded into Micrometer
 * and {@code histogram_quantile()} works on the series as they are.
 */
final class HistogramText {
  private HistogramText() {}

  static String render(String name, String help, LatencyHistogram h) {
    StringBuilder text = new StringBuilder(2048);
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(" histogram\n");
    for (int i = 0; i < h.bounds(); i++) {
      text.append(name).append("_bucket{le=\"")
          .append(String.format(Locale.ROOT, "%.9f", h.upperBoundNanos(i) / 1e9)).append("\"} ")
          .append(h.cumulative(i)).append('\n');
    }
    long count = h.count();
    text.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
    text.append(name).append("_sum ").append(String.format(Locale.ROOT, "%.9f", h.sumNanos() / 1e9)).append('\n');
    text.append(name).append("_count ").append(count).append('\n');
    return text.toString();
  }
}
