package io.redisl1.it.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * Delta debugging (Zeller's ddmin) of a failing sequence: drops chunks of steps, ever smaller, for
 * as long as what is left still fails. Every round's candidates are judged in one batch, since each
 * judgement costs a pair of forked JVMs, so rounds start with many small chunks. A kept candidate is cut after its first mismatch, since
 * what follows cannot have caused it.
 */
final class Shrinker {
  /** For each candidate, the index of its first step whose replies differ, or -1 if none does. */
  interface Judge {
    List<Integer> firstMismatches(List<List<Step>> candidates) throws Exception;
  }

  private static final int FIRST_PARTS = 16;

  private Shrinker() {}

  static List<Step> shrink(List<Step> failing, Judge judge, long deadlineNanos) throws Exception {
    List<Step> current = failing;
    // A round costs two JVM starts however many candidates it holds: start fine-grained.
    int parts = Math.min(FIRST_PARTS, current.size());
    while (current.size() > 1 && System.nanoTime() < deadlineNanos) {
      int chunk = (current.size() + parts - 1) / parts;
      List<List<Step>> candidates = new ArrayList<>();
      for (int start = 0; start < current.size(); start += chunk) {
        List<Step> complement = new ArrayList<>(current.subList(0, start));
        complement.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
        candidates.add(complement);
      }
      List<Integer> mismatches = judge.firstMismatches(candidates);
      int kept = -1;
      for (int i = 0; i < candidates.size() && kept < 0; i++) {
        if (mismatches.get(i) >= 0) {
          kept = i;
        }
      }
      if (kept >= 0) {
        current = new ArrayList<>(candidates.get(kept).subList(0, mismatches.get(kept) + 1));
        parts = Math.max(parts - 1, 2);
      } else if (chunk == 1) {
        break;
      } else {
        parts = Math.min(parts * 2, current.size());
      }
    }
    return current;
  }
}
