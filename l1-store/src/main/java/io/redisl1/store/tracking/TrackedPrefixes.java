package io.redisl1.store.tracking;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code PREFIX} arguments of a BCAST registration: Redis refuses two prefixes of which one
 * starts with the other, so only the shortest of each family is kept. An empty list means track
 * every key (a rule with {@code prefix: ""}).
 */
final class TrackedPrefixes {
  private TrackedPrefixes() {}

  static List<byte[]> of(KeyRules rules, byte[] canaryPrefix) {
    List<byte[]> all = new ArrayList<>();
    all.add(canaryPrefix);
    for (KeyRule rule : rules.rules()) {
      if (rule.cache()) {
        all.add(rule.prefix().getBytes(StandardCharsets.UTF_8));
      }
    }
    return minimalCover(all);
  }

  static List<byte[]> minimalCover(List<byte[]> prefixes) {
    List<byte[]> sorted = new ArrayList<>(prefixes);
    sorted.sort(Comparator.comparingInt(p -> p.length));
    List<byte[]> kept = new ArrayList<>();
    for (byte[] p : sorted) {
      if (p.length == 0) {
        return List.of();
      }
      boolean covered = false;
      for (byte[] k : kept) {
        covered |= startsWith(p, k);
      }
      if (!covered) {
        kept.add(p);
      }
    }
    return kept;
  }

  /** Whether every key under {@code wanted} is under {@code tracked} too (an empty list: every key). */
  static boolean covers(List<byte[]> tracked, List<byte[]> wanted) {
    if (tracked.isEmpty()) {
      return true;
    }
    if (wanted.isEmpty()) {
      return false;
    }
    for (byte[] w : wanted) {
      boolean covered = false;
      for (byte[] t : tracked) {
        covered |= startsWith(w, t);
      }
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  /** For the log: "every key", or the prefixes quoted. */
  static String describe(List<byte[]> prefixes) {
    if (prefixes.isEmpty()) {
      return "every key";
    }
    StringBuilder out = new StringBuilder(prefixes.size() == 1 ? "1 prefix:" : prefixes.size() + " prefixes:");
    for (byte[] p : prefixes) {
      out.append(" '").append(new String(p, StandardCharsets.UTF_8)).append('\'');
    }
    return out.toString();
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
