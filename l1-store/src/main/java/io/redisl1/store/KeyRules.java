package io.redisl1.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides per key whether and how long it is cached: the rule with the longest matching prefix
 * wins, and a key no rule matches is not cached.
 */
public final class KeyRules {
  private static final KeyRules NONE = new KeyRules(List.of());

  /** Longest prefix first, so the first match is the winner. */
  private final KeyRule[] byPrefixLength;

  private KeyRules(List<KeyRule> rules) {
    List<KeyRule> sorted = new ArrayList<>(rules);
    sorted.sort(Comparator.comparingInt(KeyRule::prefixLength).reversed());
    this.byPrefixLength = sorted.toArray(new KeyRule[0]);
  }

  public static KeyRules of(List<KeyRule> rules) {
    return rules.isEmpty() ? NONE : new KeyRules(rules);
  }

  public static KeyRules none() {
    return NONE;
  }

  /** The rule that caches {@code key}, or null if it is not to be cached. */
  public KeyRule cachingRule(byte[] key) {
    for (KeyRule rule : byPrefixLength) {
      if (rule.matches(key)) {
        return rule.cache() ? rule : null;
      }
    }
    return null;
  }

  /** As {@link #cachingRule(byte[])} for the UTF-8 bytes of {@code key}. */
  public KeyRule cachingRule(String key) {
    for (KeyRule rule : byPrefixLength) {
      if (rule.matches(key)) {
        return rule.cache() ? rule : null;
      }
    }
    return null;
  }

  /** The rule that decides for {@code key}, caching or not ({@code cache: false}), or null. */
  public KeyRule matchingRule(byte[] key) {
    for (KeyRule rule : byPrefixLength) {
      if (rule.matches(key)) {
        return rule;
      }
    }
    return null;
  }

  public boolean cachesAnything() {
    for (KeyRule rule : byPrefixLength) {
      if (rule.cache()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Lets each rule carry on the observe-mode figures of {@code previous}'s rule for the same prefix.
   * Call before the rules are published.
   */
  public void keepStatsOf(KeyRules previous) {
    for (KeyRule rule : byPrefixLength) {
      for (KeyRule old : previous.byPrefixLength) {
        if (old.prefix().equals(rule.prefix())) {
          rule.shareStats(old.stats());
        }
      }
    }
  }

  public List<KeyRule> rules() {
    return List.of(byPrefixLength);
  }
}
