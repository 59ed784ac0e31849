package io.redisl1.agent.internal;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One rule as written, before {@code default-ttl} is known (it may come from another source than
 * the rule). The one-line form used by {@code REDISL1_RULES} and {@code -Dredisl1.rules} is
 * {@code prefix=value,...} where value is a TTL, {@code on} (the default TTL) or {@code off}, a
 * TTL or {@code on} optionally followed by {@code +nil}: {@code user:=60s,flag:=6h+nil,session:=off}.
 * The last {@code =} of an item ends its prefix, so prefixes may contain {@code =} but not {@code ,}.
 */
final class RuleSpec {
  /** A rule's TTL may not exceed this: a year of staleness is no cache setting. */
  static final Duration MAX_TTL = Duration.ofDays(365);

  final String prefix;
  /** Null: {@code default-ttl}. */
  final Duration ttl;
  final boolean cache;
  final boolean cacheNil;

  RuleSpec(String prefix, Duration ttl, boolean cache, boolean cacheNil) {
    this.prefix = prefix;
    this.ttl = ttl;
    this.cache = cache;
    this.cacheNil = cacheNil;
  }

  KeyRule build(Duration defaultTtl) {
    return cache ? KeyRule.cached(prefix, ttl == null ? defaultTtl : ttl, cacheNil) : KeyRule.bypassed(prefix);
  }

  static KeyRules build(List<RuleSpec> specs, Duration defaultTtl) {
    List<KeyRule> rules = new ArrayList<>();
    for (RuleSpec spec : specs) {
      rules.add(spec.build(defaultTtl));
    }
    return KeyRules.of(rules);
  }

  static Duration ttl(String text) throws Setting.Invalid {
    return Durations.parseWithin(text, Duration.ofMillis(1), MAX_TTL, "");
  }

  /** The one-line form; see the class comment. */
  static List<RuleSpec> parseLine(String line) throws Setting.Invalid {
    List<RuleSpec> specs = new ArrayList<>();
    Set<String> prefixes = new HashSet<>();
    if (line.isBlank()) {
      return specs;
    }
    String[] items = line.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      String item = items[i].trim();
      String where = "rule " + (i + 1) + " '" + item + "': ";
      int eq = item.lastIndexOf('=');
      if (eq < 0) {
        throw new Setting.Invalid(where + "expected prefix=ttl, prefix=on or prefix=off, as in user:=60s,session:=off");
      }
      String prefix = item.substring(0, eq);
      String value = item.substring(eq + 1).trim();
      if (!prefixes.add(prefix)) {
        throw new Setting.Invalid(where + "prefix '" + prefix + "' has more than one rule");
      }
      boolean nil = value.endsWith("+nil");
      if (nil) {
        value = value.substring(0, value.length() - 4).trim();
      }
      if (value.equals("off")) {
        if (nil) {
          throw new Setting.Invalid(where + "+nil makes no sense on a rule that is off");
        }
        specs.add(new RuleSpec(prefix, null, false, false));
      } else if (value.equals("on")) {
        specs.add(new RuleSpec(prefix, null, true, nil));
      } else {
        try {
          specs.add(new RuleSpec(prefix, ttl(value), true, nil));
        } catch (Setting.Invalid e) {
          throw new Setting.Invalid(where + e.getMessage() + " (or on, or off)");
        }
      }
    }
    return specs;
  }
}
