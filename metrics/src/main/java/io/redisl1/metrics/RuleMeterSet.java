package io.redisl1.metrics;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.RuleStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One registry's meters of the caching rules in force: a reload may add, drop or turn off rules,
 * and {@link #refresh} registers the meters of rules that appeared and removes those of rules gone.
 * A rule that keeps its prefix keeps its stats across reloads, and so its meters.
 */
final class RuleMeterSet {
  private final MeterSink sink;
  private final L1Runtime started;
  /** Prefix to the stats its meters read and the meters; guarded by this. */
  private final Map<String, Registered> rules = new HashMap<>();
  /** The rules last seen in force: kept once the L1 is switched off after a failure. */
  private KeyRules lastRules;
  /** The rules the meters were last brought in line with; null before the first refresh. */
  private KeyRules metered;

  private static final class Registered {
    final RuleStats stats;
    final List<Object> meters;

    Registered(RuleStats stats, List<Object> meters) {
      this.stats = stats;
      this.meters = meters;
    }
  }

  RuleMeterSet(MeterSink sink, L1Runtime started) {
    this.sink = sink;
    this.started = started;
    this.lastRules = started.rules();
  }

  /**
   * Brings the meters in line with the rules in force; nothing to do (one reference compared) when
   * no reload happened since the last call.
   */
  synchronized void refresh() throws ReflectiveOperationException {
    L1Runtime current = L1Runtime.current();
    if (current != null && current.store() == started.store()) {
      lastRules = current.rules();
    }
    if (lastRules == metered) {
      return;
    }
    Map<String, RuleStats> now = new HashMap<>();
    for (KeyRule rule : lastRules.rules()) {
      if (rule.cache()) {
        now.put(rule.prefix(), rule.stats());
      }
    }
    for (Iterator<Map.Entry<String, Registered>> it = rules.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Registered> e = it.next();
      if (now.get(e.getKey()) != e.getValue().stats) {
        for (Object meter : e.getValue().meters) {
          sink.remove(meter);
        }
        it.remove();
      }
    }
    for (Map.Entry<String, RuleStats> e : now.entrySet()) {
      if (!rules.containsKey(e.getKey())) {
        List<Object> meters = new ArrayList<>();
        for (Figure f : L1Meters.ruleFigures(e.getKey(), e.getValue())) {
          meters.add(sink.register(f));
        }
        rules.put(e.getKey(), new Registered(e.getValue(), meters));
      }
    }
    metered = lastRules;
  }
}
